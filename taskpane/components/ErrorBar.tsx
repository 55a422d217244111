// One failure or notice as a Fluent MessageBar: a plain sentence and the cell or field it concerns. It sits
// by the buttons, and each new message is scrolled into view and takes the focus: a tall pane must never hide
// the answer to the button just pressed.
import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useRef } from "react";
import type { ShownError } from "../errors";

const useStyles = makeStyles({
  holder: { ":focus-visible": { outline: `2px solid ${tokens.colorStrokeFocus2}` } },
  where: { overflowWrap: "anywhere" },
});

export function ErrorBar({ error }: { error: ShownError | null }) {
  const styles = useStyles();
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!error) return;
    holder.current?.scrollIntoView({ block: "nearest" });
    holder.current?.focus({ preventScroll: true });
  }, [error]);
  if (!error) return null;
  const title = error.intent === "error" ? "Problem" : error.intent === "warning" ? "Warning" : "Note";
  return (
    <div ref={holder} tabIndex={-1} className={styles.holder} data-testid="pane-message">
      <MessageBar intent={error.intent} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{title}</MessageBarTitle>
          {error.message}
          {error.where ? <div className={styles.where}>Where: {error.where}</div> : null}
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}
