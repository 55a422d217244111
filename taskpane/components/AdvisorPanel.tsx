// The weighting advisor's form (caps to try, an optional design-effect budget) and the Advise button; the
// progress and Cancel are the run panel's, as for a run. After advice, a line on what it found and where.
import { Button, Field, Input, Radio, RadioGroup, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { DEFAULT_CAPS } from "../../scheme/advice-words";
import type { AdviseForm, AdviseOutcome } from "../advise";

export interface AdvisorPanelProps {
  disabled: boolean;
  outcome: AdviseOutcome | null;
  onAdvise: (form: AdviseForm) => void;
}

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  input: { minWidth: 0 },
});

/** the value's field is named as its errors name it (advise.ts) */
const BUDGET_LABELS = { maxDeff: "Maximum design effect", minEfficiency: "Minimum efficiency %" } as const;

function Found({ outcome }: { outcome: AdviseOutcome }) {
  const { advice } = outcome;
  const costliest = [...advice.leaveOneOut].sort((a, b) => b.efficiencyPct - a.efficiencyPct)[0];
  const uncapped = advice.sweep[0];
  return (
    <Text block size={200} role="status">
      {advice.runs} runs in {(advice.elapsedMs / 1000).toFixed(2)} s. Without a cap: efficiency{" "}
      {uncapped.efficiencyPct.toFixed(1)}%, effective n {uncapped.effectiveN.toFixed(0)}.
      {costliest && costliest.dropped !== null
        ? ` The costliest variable is ${outcome.variables[costliest.dropped]} (efficiency ${costliest.efficiencyPct.toFixed(1)}% without it).`
        : ""}{" "}
      The cap sweep, variable cost{advice.budget ? ", budget" : ""} and chart are on '{outcome.sheet}' (
      {outcome.address}).
    </Text>
  );
}

export function AdvisorPanel({ disabled, outcome, onAdvise }: AdvisorPanelProps) {
  const styles = useStyles();
  const [form, setForm] = useState<AdviseForm>({ caps: DEFAULT_CAPS.join(", "), budgetKind: "none", budget: "" });
  return (
    <div className={styles.root}>
      <Field label="Caps to try" hint="Upper caps on weight / mean weight, separated by commas.">
        <Input className={styles.input} value={form.caps} onChange={(_, d) => setForm({ ...form, caps: d.value })} />
      </Field>
      <Field label="Design-effect budget">
        <RadioGroup
          value={form.budgetKind}
          onChange={(_, d) => setForm({ ...form, budgetKind: d.value as AdviseForm["budgetKind"] })}
        >
          <Radio value="none" label="None" />
          <Radio value="maxDeff" label="Max design effect" />
          <Radio value="minEfficiency" label="Min efficiency %" />
        </RadioGroup>
      </Field>
      {form.budgetKind !== "none" ? (
        <Field label={BUDGET_LABELS[form.budgetKind]} hint="The advisor finds the loosest cap within it.">
          <Input
            className={styles.input}
            value={form.budget}
            onChange={(_, d) => setForm({ ...form, budget: d.value })}
          />
        </Field>
      ) : null}
      <Button disabled={disabled} onClick={() => onAdvise(form)}>
        Advise
      </Button>
      {outcome ? <Found outcome={outcome} /> : null}
    </div>
  );
}
