// "Draft target table": the variables to draft (the ticked raking variables, editable: `age x sex` crosses
// columns) and the button; after a draft, where the table went and what to fill in. Gets the work as a callback.
import { Button, Field, Input, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { DraftOutcome } from "../draft";

export interface DraftButtonProps {
  /** the raking variables ticked in the columns form */
  chosen: string[];
  disabled: boolean;
  drafted: DraftOutcome | null;
  onDraft: (variables: string) => void;
}

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  input: { minWidth: 0 },
});

export function DraftButton({ chosen, disabled, drafted, onDraft }: DraftButtonProps) {
  const styles = useStyles();
  const ticked = chosen.join(", ");
  const [variables, setVariables] = useState(ticked);
  // ticking a variable in the columns form starts the list afresh from the ticked ones (adjusted during render,
  // as React advises for state that follows a prop)
  const [lastTicked, setLastTicked] = useState(ticked);
  if (ticked !== lastTicked) {
    setLastTicked(ticked);
    setVariables(ticked);
  }
  return (
    <div className={styles.root}>
      <Field label="Variables to draft" hint="Data column names, separated by commas; age x sex crosses two columns.">
        <Input className={styles.input} value={variables} onChange={(_, d) => setVariables(d.value)} />
      </Field>
      <Button disabled={disabled} onClick={() => onDraft(variables)}>
        Draft target table
      </Button>
      {drafted ? (
        <Text block size={200} role="status">
          Drafted {drafted.categories} categories from {drafted.respondents.toLocaleString("en-US")} respondents on the
          new sheet '{drafted.sheet}', now the target table. Fill in the targets in {drafted.targetAddress}, then check
          the scheme.
          {drafted.notes.map((note) => ` ${note}`).join("")}
        </Text>
      ) : null}
    </div>
  );
}
