// Raking options as text fields (validated by the scheme's own rules when run), and the weight column's name.
import { Field, Input, Radio, RadioGroup, makeStyles } from "@fluentui/react-components";
import type { MissingChoice, OptionsText } from "../saved-scheme";

export interface OptionsFormProps {
  options: OptionsText;
  weightHeader: string;
  onOptions: (options: OptionsText) => void;
  onWeightHeader: (header: string) => void;
}

const useStyles = makeStyles({
  grid: { display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr)", gap: "8px" },
  input: { minWidth: 0 },
  wide: { gridColumn: "1 / span 2" },
});

function TextOption(props: {
  label: string;
  hint: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
}) {
  const styles = useStyles();
  return (
    <Field label={props.label} hint={props.hint}>
      <Input
        className={styles.input}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(_, d) => props.onChange(d.value)}
      />
    </Field>
  );
}

export function OptionsForm({ options, weightHeader, onOptions, onWeightHeader }: OptionsFormProps) {
  const styles = useStyles();
  const set = (key: keyof OptionsText) => (value: string) => onOptions({ ...options, [key]: value });
  // Hints and placeholders are short enough for one line in half of a 350 px pane, so the fields of a row
  // stay level with each other and no placeholder is cut.
  return (
    <div className={styles.grid}>
      <TextOption
        label="Min cap"
        hint="× mean weight, 0–1"
        value={options.capMin}
        placeholder="none"
        onChange={set("capMin")}
      />
      <TextOption
        label="Max cap"
        hint="× mean weight, ≥ 1"
        value={options.capMax}
        placeholder="none"
        onChange={set("capMax")}
      />
      <TextOption
        label="Total"
        hint="weights sum to this"
        value={options.total}
        placeholder="Σ base weights"
        onChange={set("total")}
      />
      <TextOption label="Tolerance" hint="max miss, 0–1 scale" value={options.tolerance} onChange={set("tolerance")} />
      <TextOption
        label="Max iterations"
        hint="full passes"
        value={options.maxIterations}
        onChange={set("maxIterations")}
      />
      <Field label="Weight column" hint="its header cell">
        <Input className={styles.input} value={weightHeader} onChange={(_, d) => onWeightHeader(d.value)} />
      </Field>
      <Field label="Missing answers" className={styles.wide}>
        <RadioGroup
          layout="horizontal"
          value={options.missing}
          onChange={(_, d) => onOptions({ ...options, missing: d.value as MissingChoice })}
        >
          <Radio value="error" label="Stop with an error" />
          <Radio value="exclude" label="Exclude from that variable" />
        </RadioGroup>
      </Field>
    </div>
  );
}
