// Which data columns play which part: raking variables (picked from the header names), base weight, group.
import { Button, Checkbox, Dropdown, Field, Option } from "@fluentui/react-components";

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

function ColumnDropdown(props: {
  label: string;
  value: string;
  headers: string[];
  onChange: (name: string) => void;
  onSelection: () => void;
}) {
  return (
    <Field label={props.label}>
      <div style={{ display: "flex", gap: 4 }}>
        <Dropdown
          style={{ flex: 1, minWidth: 0 }}
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
        <div style={{ maxHeight: 160, overflowY: "auto" }}>
          {names.length === 0 ? <span>Set the data range to list its columns.</span> : null}
          {names.map((h) => (
            <Checkbox
              key={h}
              label={h}
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
