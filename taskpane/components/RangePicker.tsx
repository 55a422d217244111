// An input holding a range address, set from the current selection with one click (or typed).
import { Button, Field, Input, makeStyles } from "@fluentui/react-components";

const useStyles = makeStyles({
  row: { display: "flex", gap: "4px" },
  input: { flex: 1, minWidth: 0 },
});

export interface RangePickerProps {
  label: string;
  hint: string;
  address: string;
  onChange: (address: string) => void;
  onUseSelection: () => void;
  busy?: boolean;
  optional?: boolean;
}

export function RangePicker({ label, hint, address, onChange, onUseSelection, busy, optional }: RangePickerProps) {
  const styles = useStyles();
  return (
    <Field label={optional ? `${label} (optional)` : label} hint={hint}>
      <div className={styles.row}>
        <Input
          className={styles.input}
          value={address}
          placeholder="Sheet1!A1:D100"
          onChange={(_, d) => onChange(d.value)}
        />
        <Button disabled={busy} onClick={onUseSelection} title="Use the cells selected in the sheet">
          Use selection
        </Button>
      </div>
    </Field>
  );
}
