// The check before a run: variables found, their categories with respondents and targets, group and total,
// and the parser's warnings. In a 320 px pane a long category label wraps inside its cell (never over the
// numbers beside it), and the numbers keep narrow fixed columns.
import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { PreviewModel, PreviewVariable } from "../preview-model";

const pct = (x: number) => `${x.toFixed(1)}%`;

const useStyles = makeStyles({
  variable: { marginBottom: "8px" },
  title: { overflowWrap: "anywhere" },
  table: { tableLayout: "fixed", width: "100%" },
  label: { overflowWrap: "anywhere" },
  // room for 7 digits or "100.0%"; the label column takes the rest
  number: { width: "52px", whiteSpace: "nowrap", textAlign: "right" },
  warning: { color: tokens.colorStatusWarningForeground1 },
});

function VariableTable({ variable }: { variable: PreviewVariable }) {
  const styles = useStyles();
  return (
    <div className={styles.variable}>
      <Text weight="semibold" className={styles.title}>
        {variable.name}{" "}
        <Text size={200}>
          ({variable.columns.join(", ")}
          {variable.missing ? `, ${variable.missing} missing` : ""}
          {variable.perGroupTargets ? ", targets per group" : ""})
        </Text>
      </Text>
      <Table size="extra-small" className={styles.table} aria-label={`Categories of ${variable.name}`}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Category</TableHeaderCell>
            <TableHeaderCell className={styles.number}>n</TableHeaderCell>
            <TableHeaderCell className={styles.number}>Sample</TableHeaderCell>
            <TableHeaderCell className={styles.number}>Target</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {variable.categories.map((c) => (
            <TableRow key={c.label}>
              <TableCell className={styles.label}>{c.label}</TableCell>
              <TableCell className={styles.number}>{c.respondents}</TableCell>
              <TableCell className={styles.number}>{pct(c.samplePct)}</TableCell>
              <TableCell className={styles.number}>{pct(c.targetPct)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export function Preview({ model }: { model: PreviewModel }) {
  const styles = useStyles();
  return (
    <div>
      <Text block>
        {model.respondents.toLocaleString()} respondents
        {model.skippedRows ? ` (${model.skippedRows} blank rows skipped)` : ""}; {model.variables.length} variables;
        total {model.total}
        {model.baseWeights ? "; base weights applied" : ""}.
      </Text>
      {model.group ? (
        <Text block>
          Groups in {model.group.name}:{" "}
          {model.group.labels
            .map((l, i) => (model.group!.shares ? `${l} ${pct(model.group!.shares[i])}` : l))
            .join(", ")}
        </Text>
      ) : null}
      {model.warnings.map((w) => (
        <Text block key={w} className={styles.warning}>
          ⚠ {w}
        </Text>
      ))}
      {model.variables.map((v) => (
        <VariableTable key={v.name} variable={v} />
      ))}
    </div>
  );
}
