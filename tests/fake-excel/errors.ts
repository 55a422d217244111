/**
 * OfficeExtension.Error look-alike and the error codes the fake raises.
 * Real Office.js throws `OfficeExtension.Error` (name "RichApi.Error") with `code`, `message`, `debugInfo`.
 */

export const OfficeErrorCodes = {
  accessDenied: "AccessDenied",
  generalException: "GeneralException",
  activityLimitReached: "ActivityLimitReached",
  invalidObjectPath: "InvalidObjectPath",
  propertyNotLoaded: "PropertyNotLoaded",
  valueNotLoaded: "ValueNotLoaded",
  invalidRequestContext: "InvalidRequestContext",
  invalidArgument: "InvalidArgument",
  runMustReturnPromise: "RunMustReturnPromise",
  cannotRegisterEvent: "CannotRegisterEvent",
  apiNotFound: "ApiNotFound",
  connectionFailure: "ConnectionFailure",
} as const;

/** Excel.ErrorCodes (subset) plus requestPayloadSizeLimitExceeded, which Excel on the web raises but the typings omit. */
export const ExcelErrorCodes = {
  accessDenied: "AccessDenied",
  apiNotFound: "ApiNotFound",
  generalException: "GeneralException",
  insertDeleteConflict: "InsertDeleteConflict",
  invalidArgument: "InvalidArgument",
  invalidOperation: "InvalidOperation",
  invalidReference: "InvalidReference",
  invalidSelection: "InvalidSelection",
  itemAlreadyExists: "ItemAlreadyExists",
  itemNotFound: "ItemNotFound",
  notImplemented: "NotImplemented",
  rangeExceedsLimit: "RangeExceedsLimit",
  requestAborted: "RequestAborted",
  requestPayloadSizeLimitExceeded: "RequestPayloadSizeLimitExceeded",
  responsePayloadSizeLimitExceeded: "ResponsePayloadSizeLimitExceeded",
  unsupportedOperation: "UnsupportedOperation",
} as const;

export interface FakeDebugInfo {
  code: string;
  message: string;
  errorLocation?: string;
  statement?: string;
  innerError?: FakeDebugInfo | string;
}

/** Shaped like OfficeExtension.Error. `instanceof FakeOfficeError` and `instanceof Error` both hold. */
export class FakeOfficeError extends Error {
  code: string;
  debugInfo: FakeDebugInfo;
  traceMessages: string[] = [];
  innerError: unknown = null;
  constructor(code: string, message: string, errorLocation?: string) {
    super(message);
    this.name = "RichApi.Error";
    this.code = code;
    this.debugInfo = { code, message, ...(errorLocation ? { errorLocation } : {}) };
    Object.setPrototypeOf(this, new.target.prototype);
  }
  override toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

export const MESSAGES = {
  propertyNotLoaded: (prop: string) =>
    `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  invalidObjectPath: `The object path isn't working for what you're trying to do. If you're using the object across multiple "context.sync" calls and outside the sequential execution of a ".run" batch, please use the "context.trackedObjects.add()" and "context.trackedObjects.remove()" methods to manage the object's lifetime.`,
  otherContext: `Cannot use the object across different request contexts.`,
  itemNotFound: `The requested resource doesn't exist.`,
  itemAlreadyExists: `A resource with the same name or ID already exists.`,
  dimensionMismatch: `The number of rows or columns in the input array doesn't match the size or dimensions of the range.`,
  payload: `The request payload size has exceeded the limit. Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".`,
  responsePayload: `The response payload size has exceeded the limit. Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".`,
  invalidArgument: `The argument is invalid or missing or has an incorrect format.`,
};

export function officeError(code: string, message?: string, location?: string): FakeOfficeError {
  return new FakeOfficeError(code, message ?? defaultMessage(code), location);
}

function defaultMessage(code: string): string {
  switch (code) {
    case "ItemNotFound":
      return MESSAGES.itemNotFound;
    case "ItemAlreadyExists":
      return MESSAGES.itemAlreadyExists;
    case "InvalidArgument":
      return MESSAGES.invalidArgument;
    case "InvalidObjectPath":
      return MESSAGES.invalidObjectPath;
    case "RequestPayloadSizeLimitExceeded":
      return MESSAGES.payload;
    case "ResponsePayloadSizeLimitExceeded":
      return MESSAGES.responsePayload;
    default:
      return code;
  }
}
