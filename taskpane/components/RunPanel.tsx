// Check / Run buttons, the progress bar by stage, Cancel (until writing starts), and the last run's summary.
import { Button, Field, ProgressBar, Text } from "@fluentui/react-components";
import type { Progress, RunOutcome } from "../run";

export interface RunPanelProps {
  busy: "preview" | "run" | "draft" | "advise" | null;
  progress: Progress | null;
  outcome: RunOutcome | null;
  onPreview: () => void;
  onRun: () => void;
  onCancel: () => void;
}

const STAGES = {
  reading: "1/3 Reading",
  weighting: "2/3 Weighting",
  writing: "3/3 Writing",
  diagnostics: "3/3 Diagnostics",
} as const;

function Summary({ outcome }: { outcome: RunOutcome }) {
  const s = outcome.result.summary;
  return (
    <Text block size={200}>
      {outcome.result.status === "converged"
        ? "Converged"
        : outcome.result.status === "stalled"
          ? "Stalled"
          : "Stopped at the iteration limit"}{" "}
      after {outcome.result.iterations} iterations (max residual {outcome.result.maxResidual.toExponential(1)}),{" "}
      {(outcome.result.elapsedMs / 1000).toFixed(2)} s. Weights in {outcome.weightAddress}
      {outcome.replaced ? " (replaced)" : ""}; efficiency {s.efficiencyPct.toFixed(1)}%, effective n{" "}
      {s.effectiveN.toFixed(0)}, weights {s.min.toFixed(3)}–{s.max.toFixed(3)}.
      {outcome.diagnosticsSheet ? ` Details on '${outcome.diagnosticsSheet}'.` : ""}
    </Text>
  );
}

export function RunPanel({ busy, progress, outcome, onPreview, onRun, onCancel }: RunPanelProps) {
  const cancellable =
    busy !== null && (progress === null || progress.stage === "reading" || progress.stage === "weighting");
  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <div style={{ display: "flex", gap: 8 }}>
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
