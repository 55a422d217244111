// The check before a run: variables found, their categories with respondents and targets, group and total,
// and the parser's warnings.
import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from "@fluentui/react-components";
import type { PreviewModel, PreviewVariable } from "../preview-model";

const pct = (x: number) => `${x.toFixed(1)}%`;

function VariableTable({ variable }: { variable: PreviewVariable }) {
  return (
    <div style={{ marginBottom: 8 }}>
      <Text weight="semibold">
        {variable.name}{" "}
        <Text size={200}>
          ({variable.columns.join(", ")}
          {variable.missing ? `, ${variable.missing} missing` : ""}
          {variable.perGroupTargets ? ", targets per group" : ""})
        </Text>
      </Text>
      <Table size="extra-small" aria-label={`Categories of ${variable.name}`}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Category</TableHeaderCell>
            <TableHeaderCell>n</TableHeaderCell>
            <TableHeaderCell>Sample</TableHeaderCell>
            <TableHeaderCell>Target</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {variable.categories.map((c) => (
            <TableRow key={c.label}>
              <TableCell>{c.label}</TableCell>
              <TableCell>{c.respondents}</TableCell>
              <TableCell>{pct(c.samplePct)}</TableCell>
              <TableCell>{pct(c.targetPct)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

export function Preview({ model }: { model: PreviewModel }) {
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
        <Text block key={w} style={{ color: "#8a5300" }}>
          ⚠ {w}
        </Text>
      ))}
      {model.variables.map((v) => (
        <VariableTable key={v.name} variable={v} />
      ))}
    </div>
  );
}
