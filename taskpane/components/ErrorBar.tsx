// One failure or notice as a Fluent MessageBar: a plain sentence and the cell or field it concerns.
import { MessageBar, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type { ShownError } from "../errors";

export function ErrorBar({ error }: { error: ShownError | null }) {
  if (!error) return null;
  const title = error.intent === "error" ? "Problem" : error.intent === "warning" ? "Warning" : "Note";
  return (
    <MessageBar intent={error.intent} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {error.message}
        {error.where ? <div>Where: {error.where}</div> : null}
      </MessageBarBody>
    </MessageBar>
  );
}
