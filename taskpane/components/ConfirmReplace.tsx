// Asks before replacing the weight column a previous run wrote.
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from "@fluentui/react-components";
import type { ReplaceAnswer, ReplaceQuestion } from "../excel/weight-column";

export function ConfirmReplace({
  question,
  onAnswer,
}: {
  question: ReplaceQuestion | null;
  onAnswer: (answer: ReplaceAnswer) => void;
}) {
  return (
    <Dialog open={question !== null} modalType="alert">
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Replace the previous weights?</DialogTitle>
          <DialogContent>
            {question ? (
              <>
                A previous run wrote the weight column &apos;{question.header}&apos; at {question.address}. Replace it,
                or write the new weights to {question.freeAddress} and keep the old ones?
              </>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={() => onAnswer("replace")}>
              Replace
            </Button>
            <Button onClick={() => onAnswer("new-column")}>New column</Button>
            <Button onClick={() => onAnswer("cancel")}>Cancel run</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
