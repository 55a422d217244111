// Raking options as text fields (validated by the scheme's own rules when run), and the weight column's name.
import { Field, Input, Radio, RadioGroup } from "@fluentui/react-components";
import type { MissingChoice, OptionsText } from "../saved-scheme";

export interface OptionsFormProps {
  options: OptionsText;
  weightHeader: string;
  onOptions: (options: OptionsText) => void;
  onWeightHeader: (header: string) => void;
}

function TextOption(props: {
  label: string;
  hint: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      <Input
        style={{ minWidth: 0 }}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(_, d) => props.onChange(d.value)}
      />
    </Field>
  );
}

export function OptionsForm({ options, weightHeader, onOptions, onWeightHeader }: OptionsFormProps) {
  const set = (key: keyof OptionsText) => (value: string) => onOptions({ ...options, [key]: value });
  return (
    <div style={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr) minmax(0, 1fr)", gap: 8 }}>
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
        placeholder="sum of base weights"
        onChange={set("total")}
      />
      <TextOption
        label="Tolerance"
        hint="max |achieved − target|, proportion"
        value={options.tolerance}
        onChange={set("tolerance")}
      />
      <TextOption
        label="Max iterations"
        hint="passes over all variables"
        value={options.maxIterations}
        onChange={set("maxIterations")}
      />
      <Field label="Weight column name">
        <Input style={{ minWidth: 0 }} value={weightHeader} onChange={(_, d) => onWeightHeader(d.value)} />
      </Field>
      <Field label="Missing answers" style={{ gridColumn: "1 / span 2" }}>
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
