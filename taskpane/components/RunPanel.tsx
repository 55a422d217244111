// Check / Run buttons, the progress bar by stage, Cancel (until writing starts), and the last run's summary.
import { Button, Field, ProgressBar, Text, makeStyles } from "@fluentui/react-components";
import type { Progress, RunOutcome } from "../run";
import { runSummary } from "../run-summary";

export interface RunPanelProps {
  busy: "preview" | "run" | "draft" | "advise" | null;
  progress: Progress | null;
  outcome: RunOutcome | null;
  onPreview: () => void;
  onRun: () => void;
  onCancel: () => void;
}

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", gap: "8px" },
  // three buttons do not fit a 320 px pane on one line
  buttons: { display: "flex", flexWrap: "wrap", gap: "8px" },
});

const STAGES = {
  reading: "1/3 Reading",
  weighting: "2/3 Weighting",
  writing: "3/3 Writing",
  diagnostics: "3/3 Diagnostics",
} as const;

function Summary({ outcome }: { outcome: RunOutcome }) {
  return (
    <Text block size={200}>
      {runSummary(outcome)}
    </Text>
  );
}

export function RunPanel({ busy, progress, outcome, onPreview, onRun, onCancel }: RunPanelProps) {
  const cancellable =
    busy !== null && (progress === null || progress.stage === "reading" || progress.stage === "weighting");
  const styles = useStyles();
  return (
    <div className={styles.panel}>
      <div className={styles.buttons}>
        <Button appearance="primary" disabled={busy !== null} onClick={onRun}>
          Run weighting
        </Button>
        <Button disabled={busy !== null} onClick={onPreview}>
          Check scheme
        </Button>
        {busy !== null ? (
          <Button
            disabled={!cancellable}
            onClick={onCancel}
            title={cancellable ? "Stop; the workbook stays as it was" : "Writing has started and finishes on its own"}
          >
            Cancel
          </Button>
        ) : null}
      </div>
      {busy !== null && progress ? (
        <Field label={`${STAGES[progress.stage]}: ${progress.message}`} validationState="none">
          <ProgressBar value={progress.fraction ?? undefined} max={1} />
        </Field>
      ) : null}
      {busy === null && outcome ? <Summary outcome={outcome} /> : null}
    </div>
  );
}
