// Which engine backend the Worker runs, with threads, and why a faster one was skipped.
import { Badge, Text, Tooltip } from "@fluentui/react-components";
import type { BackendInfo } from "../../engine/contract";

const NAMES = { "wasm-threads": "WebAssembly, threads", wasm: "WebAssembly", ts: "JavaScript" } as const;

export function BackendBadge({ info, error }: { info: BackendInfo | null; error: string | null }) {
  if (error)
    return (
      <Badge color="danger" appearance="tint">
        Engine unavailable: {error}
      </Badge>
    );
  if (!info) return <Badge appearance="outline">Starting engine…</Badge>;
  const label = `${NAMES[info.backend]}${info.backend === "wasm-threads" ? ` × ${info.threads}` : ""}`;
  return (
    <div>
      <Tooltip
        content={info.skipped.length ? "Faster backends were not available here" : "The fastest backend is in use"}
        relationship="description"
      >
        <Badge color={info.backend === "wasm-threads" ? "success" : "informative"} appearance="tint">
          Engine: {label}
        </Badge>
      </Tooltip>
      {info.skipped.map((s) => (
        <Text block size={200} key={s.backend}>
          {NAMES[s.backend]} skipped: {s.reason}
        </Text>
      ))}
    </div>
  );
}
