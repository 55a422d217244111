// The ProcessQuery wire format that Microsoft's Excel client library (@microsoft/office-js 1.1.110,
// excel-web-16.00.debug.js: ActionType, ObjectPathType, RichApiMessageUtility, processRequestExecutorResponseMessage)
// sends to the host and expects back. Types and the error body only: no workbook, no Excel semantics.

/** ActionType as the client library numbers it. */
export const ActionType = { instantiate: 1, query: 2, method: 3, setProperty: 4, trace: 5 } as const;

/** ObjectPathType as the client library numbers it. */
export const ObjectPathType = { globalObject: 1, newObject: 2, method: 3, property: 4, indexer: 5 } as const;

export interface ArgumentInfo {
  Arguments?: unknown[];
  /** per argument: the object path id when the argument is a client object, 0 otherwise */
  ReferencedObjectPathIds?: number[];
}

export interface WireAction {
  Id: number;
  ActionType: number;
  Name: string;
  ObjectPathId: number;
  ArgumentInfo?: ArgumentInfo;
  QueryInfo?: { Select?: string[]; Expand?: string[]; Top?: number; Skip?: number };
  /** object paths the action needs instantiated first (the client library's lazy instantiation) */
  L?: number[];
}

export interface WireObjectPath {
  Id: number;
  ObjectPathType: number;
  Name: string;
  ParentObjectPathId?: number;
  ArgumentInfo?: ArgumentInfo;
}

export interface RequestBody {
  AutoKeepReference?: boolean;
  Actions: WireAction[];
  ObjectPaths: Record<string, WireObjectPath>;
}

export interface ActionResult {
  ActionId: number;
  Value: unknown;
}

/** An Excel error as the client library reads it from `Body.Error` (becomes OfficeExtension.Error). */
export interface WireError {
  Code: string;
  Message: string;
  Location?: string;
  HttpStatusCode: number;
  /** index of the failing action: the client library prints that statement in debugInfo */
  ActionIndex?: number;
}

export interface ResponseBody {
  Results: ActionResult[];
  Error?: WireError;
}

/** Errors of the host's own object model are values: code, message, where. */
export interface HostError {
  code: string;
  message: string;
  location: string;
}

/** HTTP status Excel pairs with each error code (Excel JavaScript API error codes table). */
const HTTP_STATUS: Record<string, number> = {
  AccessDenied: 403,
  ApiNotFound: 404,
  GeneralException: 500,
  InvalidArgument: 400,
  InvalidOperation: 400,
  InvalidReference: 400,
  ItemAlreadyExists: 409,
  ItemNotFound: 404,
  NotImplemented: 501,
  UnsupportedOperation: 501,
};

export function wireError(error: HostError, actionIndex: number): WireError {
  return {
    Code: error.code,
    Message: error.message,
    Location: error.location,
    HttpStatusCode: HTTP_STATUS[error.code] ?? 500,
    ActionIndex: actionIndex,
  };
}

/** A HostError as a thrown value inside the object model; the protocol turns it back into a value. */
export class HostFailure extends Error {
  constructor(readonly error: HostError) {
    super(`${error.code}: ${error.message} (${error.location})`);
  }
}

export function fail(code: string, message: string, location: string): never {
  throw new HostFailure({ code, message, location });
}
