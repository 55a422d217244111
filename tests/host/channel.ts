// The channel Microsoft's client library talks through: OSF.DDA.RichApi.executeRichApiRequestAsync(message,
// callback). `message[4]` is the ProcessQuery JSON exactly as the library wrote it; the answer goes back as
// `{ status: "succeeded", value: { data: [status, headers, bodyJson] } }`, or `{ status: "failed", error }` with
// Office's error number, which the library maps itself (RichApiMessageUtility.buildResponseOnError). Payload
// limits are measured here, on those real bytes.
import { processQuery } from "./protocol";
import type { HostState } from "./object-model";
import { OOE_REQUEST_PAYLOAD_TOO_LARGE, OOE_RESPONSE_PAYLOAD_TOO_LARGE, utf8Bytes } from "./limits";
import type { RequestBody } from "./wire";

/** Microsoft's own messages (office-js dist/en-us/office_strings.js, L_…PayloadSizeLimitExceededMessage). */
const REQUEST_TOO_LARGE =
  'The request payload size has exceeded the limit. Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".';
const RESPONSE_TOO_LARGE =
  'The response payload size has exceeded the limit. Please refer to the documentation: "https://docs.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization#excel-add-ins".';

/** One sync as it travelled: bytes each way and how it ended. */
export interface WireRecord {
  requestBytes: number;
  responseBytes: number;
  actions: number;
  outcome: "ok" | "error" | "request-too-large" | "response-too-large";
  /** milliseconds the emulator spent answering (Excel's share, not the add-in's) */
  hostMs: number;
  error?: string;
  /** the start of the request that failed, for the failure message */
  request?: string;
}

type Callback = (result: unknown) => void;

export function answerMessage(state: HostState, message: unknown[], log: WireRecord[], callback: Callback): void {
  const started = performance.now();
  const text = String(message[4]);
  const requestBytes = utf8Bytes(text);
  const limit = state.limits.payloadBytes;
  const record: WireRecord = { requestBytes, responseBytes: 0, actions: 0, outcome: "ok", hostMs: 0 };
  log.push(record);
  const answer = (result: unknown) => {
    record.hostMs = performance.now() - started;
    callback(result);
  };
  if (limit !== null && requestBytes > limit) {
    record.outcome = "request-too-large";
    return answer({ status: "failed", error: { code: OOE_REQUEST_PAYLOAD_TOO_LARGE, message: REQUEST_TOO_LARGE } });
  }
  const body = JSON.parse(text) as RequestBody;
  record.actions = body.Actions.length;
  const reply = processQuery(state, body);
  const response = JSON.stringify(reply);
  record.responseBytes = utf8Bytes(response);
  if (limit !== null && record.responseBytes > limit) {
    record.outcome = "response-too-large";
    return answer({ status: "failed", error: { code: OOE_RESPONSE_PAYLOAD_TOO_LARGE, message: RESPONSE_TOO_LARGE } });
  }
  if (reply.Error) {
    record.outcome = "error";
    record.error = `${reply.Error.Code} at ${reply.Error.Location ?? "?"}`;
    record.request = text.slice(0, 4000);
  }
  answer({ status: "succeeded", value: { data: [200, [], response] } });
}

/** Puts the channel where the client library looks for it (window.OSF.DDA.RichApi). */
export function installChannel(target: Record<string, any>, state: HostState, log: WireRecord[]): void {
  const osf = (target.OSF ??= {});
  const dda = (osf.DDA ??= {});
  const richApi = (dda.RichApi ??= {});
  richApi.executeRichApiRequestAsync = (message: unknown[], callback: Callback) =>
    // Excel answers asynchronously; so does the emulator, so no sync completes inside the caller's stack.
    setTimeout(() => {
      try {
        answerMessage(state, message, log, callback);
      } catch (e) {
        // A defect of the emulator itself: fail the sync loudly instead of leaving the add-in waiting forever.
        console.error("tests/host: the emulator failed on a request", e, String(message[4]).slice(0, 2000));
        const body = {
          Results: [],
          Error: { Code: "GeneralException", Message: `tests/host: ${e}`, HttpStatusCode: 500 },
        };
        callback({ status: "succeeded", value: { data: [200, [], JSON.stringify(body)] } });
      }
    }, 0);
}
