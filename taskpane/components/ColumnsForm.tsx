// Which data columns play which part: raking variables (picked from the header names), base weight, group.
import { Button, Checkbox, Dropdown, Field, Option, makeStyles } from "@fluentui/react-components";

export interface ColumnsFormProps {
  headers: string[];
  variables: string[];
  baseColumn: string;
  groupColumn: string;
  onVariables: (names: string[]) => void;
  onBase: (name: string) => void;
  onGroup: (name: string) => void;
  /** set base / group from the column the selection sits in */
  onBaseFromSelection: () => void;
  onGroupFromSelection: () => void;
}

const NONE = "(none)";

const useStyles = makeStyles({
  row: { display: "flex", gap: "4px" },
  dropdown: { flex: 1, minWidth: 0 },
  list: { maxHeight: "160px", overflowY: "auto" },
  // one checkbox per line; a long column name wraps inside the pane instead of being cut at its edge
  checkbox: { display: "flex" },
  checkboxLabel: { minWidth: 0, overflowWrap: "anywhere" },
});

function ColumnDropdown(props: {
  label: string;
  value: string;
  headers: string[];
  onChange: (name: string) => void;
  onSelection: () => void;
}) {
  const styles = useStyles();
  return (
    <Field label={props.label}>
      <div className={styles.row}>
        <Dropdown
          className={styles.dropdown}
          value={props.value || NONE}
          selectedOptions={[props.value || NONE]}
          onOptionSelect={(_, d) => props.onChange(d.optionValue === NONE || !d.optionValue ? "" : d.optionValue)}
        >
          {[NONE, ...props.headers].map((h) => (
            <Option key={h} value={h}>
              {h}
            </Option>
          ))}
        </Dropdown>
        <Button onClick={props.onSelection} title="Use the data column the selection is in">
          Use selection
        </Button>
      </div>
    </Field>
  );
}

export function ColumnsForm(p: ColumnsFormProps) {
  const styles = useStyles();
  const names = p.headers.filter((h) => h !== "");
  const toggle = (name: string, on: boolean) =>
    p.onVariables(on ? [...p.variables, name] : p.variables.filter((v) => v !== name));
  return (
    <>
      <Field
        label="Raking variables"
        hint={
          p.variables.length === 0
            ? "None ticked: every variable named in the target table is used."
            : `${p.variables.length} chosen.`
        }
      >
        <div className={styles.list}>
          {names.length === 0 ? <span>Set the data range to list its columns.</span> : null}
          {names.map((h) => (
            <Checkbox
              key={h}
              className={styles.checkbox}
              label={{ children: h, className: styles.checkboxLabel }}
              checked={p.variables.includes(h)}
              onChange={(_, d) => toggle(h, d.checked === true)}
            />
          ))}
        </div>
      </Field>
      <ColumnDropdown
        label="Base weight column (optional)"
        value={p.baseColumn}
        headers={names}
        onChange={p.onBase}
        onSelection={p.onBaseFromSelection}
      />
      <ColumnDropdown
        label="Group column (optional)"
        value={p.groupColumn}
        headers={names}
        onChange={p.onGroup}
        onSelection={p.onGroupFromSelection}
      />
    </>
  );
}
