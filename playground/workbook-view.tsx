// The playground's spreadsheet: the fake workbook's sheets as tabs, the first rows of the active one as a grid,
// a name box, and mouse selection that becomes the fake host's selection (what getSelectedRange() returns to
// the task pane). Reads the workbook through the fake host's test handle only; refreshes after every sync.
import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import { indexToCol, parseAddress, type FakeWorkbookHandle } from "../tests/fake-excel";

/** Rows drawn below the header (the rest of the sheet is still there, only not drawn). */
export const VISIBLE_ROWS = 200;
const MIN_COLUMNS = 12;
const REFRESH_MS = 250;

interface Rect {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

interface Props {
  workbook: FakeWorkbookHandle;
}

function normalise(a: { r: number; c: number }, b: { r: number; c: number }): Rect {
  return { r0: Math.min(a.r, b.r), r1: Math.max(a.r, b.r), c0: Math.min(a.c, b.c), c1: Math.max(a.c, b.c) };
}

/** The fake's sheet height: a column header selects whole columns, as in Excel ("A:F"). */
const SHEET_ROWS = 1_048_576;

function rectAddress(rect: Rect): string {
  if (rect.r0 === 0 && rect.r1 === SHEET_ROWS - 1) return `${indexToCol(rect.c0)}:${indexToCol(rect.c1)}`;
  const tl = `${indexToCol(rect.c0)}${rect.r0 + 1}`;
  const br = `${indexToCol(rect.c1)}${rect.r1 + 1}`;
  return tl === br ? tl : `${tl}:${br}`;
}

/** Column letters select whole columns (the task pane cuts them to the used range, as with Excel). */
function columnRect(c0: number, c1: number): Rect {
  return { r0: 0, r1: SHEET_ROWS - 1, c0: Math.min(c0, c1), c1: Math.max(c0, c1) };
}

function usedBounds(workbook: FakeWorkbookHandle, sheet: string): Rect | null {
  const used = workbook.usedRange(sheet, true);
  if (!used) return null;
  return parseAddress(used).rect;
}

/** Re-renders whenever the workbook may have changed: syncs, sheets, the selection. */
function useWorkbookRefresh(workbook: FakeWorkbookHandle): void {
  const [, setVersion] = useState(0);
  const last = useRef("");
  useEffect(() => {
    const timer = setInterval(() => {
      const key = `${workbook.counters.syncs}|${workbook.sheetNames().join("/")}|${workbook.selection}|${workbook.activeSheet}`;
      if (key !== last.current) {
        last.current = key;
        setVersion((v) => v + 1);
      }
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [workbook]);
}

/** Numbers roughly as Excel's General format shows them in a narrow column. */
function displayValue(value: unknown): string {
  if (value === "" || value === undefined || value === null) return "";
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  if (Math.abs(value) < 1e-4) return value.toExponential(2);
  return String(Number(value.toPrecision(7)));
}

/** Pixels for a column: the width the workbook records (points; autofit and columnWidth set it), bounded. */
function columnPixels(workbook: FakeWorkbookHandle, sheet: string, c: number): number {
  return Math.round(Math.min(320, Math.max(64, workbook.columnWidth(sheet, c) * (4 / 3) * 1.2)));
}

export function WorkbookView({ workbook }: Props) {
  useWorkbookRefresh(workbook);
  // The workbook is mutable and polled (useWorkbookRefresh re-renders when it may have changed), so what is shown
  // is read from it on every render rather than memoised: a render reads at most VISIBLE_ROWS rows.
  const sheets = workbook.sheetNames();
  const [sheet, setSheet] = useState(() => workbook.activeSheet);
  const shown = sheets.includes(sheet) ? sheet : sheets[0];
  const used = usedBounds(workbook, shown);
  const rows = Math.min(VISIBLE_ROWS + 1, Math.max((used?.r1 ?? 0) + 1, 30));
  const cols = Math.max(MIN_COLUMNS, (used?.c1 ?? 0) + 3);
  const grid = workbook.getValues(shown, `A1:${indexToCol(cols - 1)}${rows}`);
  const totalRows = (used?.r1 ?? -1) + 1;
  const widths = Array.from({ length: cols }, (_, c) => columnPixels(workbook, shown, c));

  // The selection as the fake host has it, when it is on the shown sheet.
  const hostSelection = (() => {
    const { sheet: selSheet, rect } = parseAddress(workbook.selection);
    return selSheet && selSheet.toLowerCase() === shown.toLowerCase() ? rect : null;
  })();
  const [dragging, setDragging] = useState<{ anchor: { r: number; c: number }; rect: Rect; columns: boolean } | null>(
    null,
  );
  const selection = dragging?.rect ?? hostSelection;

  const commit = (rect: Rect) => workbook.select(shown, rectAddress(rect));

  // The latest drag rectangle, read by the mouseup listener (state may not have re-rendered yet).
  const dragRect = useRef<Rect | null>(null);
  const drag = (next: typeof dragging) => {
    dragRect.current = next?.rect ?? null;
    setDragging(next);
  };
  const isDragging = dragging !== null;
  useEffect(() => {
    if (!isDragging) return;
    const up = () => {
      if (dragRect.current) workbook.select(shown, rectAddress(dragRect.current));
      dragRect.current = null;
      setDragging(null);
    };
    window.addEventListener("mouseup", up);
    return () => window.removeEventListener("mouseup", up);
  }, [isDragging, workbook, shown]);

  const onCellDown = (r: number, c: number) => (e: MouseEvent) => {
    e.preventDefault();
    const anchor = e.shiftKey && hostSelection ? { r: hostSelection.r0, c: hostSelection.c0 } : { r, c };
    drag({ anchor, rect: normalise(anchor, { r, c }), columns: false });
  };
  const onCellEnter = (r: number, c: number) => () => {
    if (dragging && !dragging.columns) drag({ ...dragging, rect: normalise(dragging.anchor, { r, c }) });
  };
  const onColumnDown = (c: number) => (e: MouseEvent) => {
    e.preventDefault();
    const from = e.shiftKey && hostSelection ? hostSelection.c0 : c;
    drag({ anchor: { r: 0, c: from }, rect: columnRect(from, c), columns: true });
  };
  const onColumnEnter = (c: number) => () => {
    if (dragging?.columns) drag({ ...dragging, rect: columnRect(dragging.anchor.c, c) });
  };
  const onCornerClick = () => {
    if (used) commit({ r0: 0, c0: 0, r1: used.r1, c1: used.c1 });
  };

  // The name box shows the selection's address until typed in; a new selection replaces what was typed (React's
  // "adjusting state when a prop changes": compared during render, no effect).
  const selectionAddress = selection ? rectAddress(selection) : "";
  const [nameBox, setNameBox] = useState(selectionAddress);
  const [nameBoxFor, setNameBoxFor] = useState(selectionAddress);
  if (nameBoxFor !== selectionAddress) {
    setNameBoxFor(selectionAddress);
    setNameBox(selectionAddress);
  }
  const [nameBoxError, setNameBoxError] = useState("");
  const onNameBoxKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== "Enter") return;
    try {
      const text = nameBox.trim();
      const parsed = parseAddress(text);
      const target = parsed.sheet ?? shown;
      if (!workbook.hasSheet(target)) throw new Error(`no sheet '${target}'`);
      workbook.select(target, text.includes("!") ? text.slice(text.lastIndexOf("!") + 1) : text);
      setSheet(target);
      setNameBoxError("");
    } catch (error) {
      setNameBoxError(error instanceof Error ? error.message : String(error));
    }
  };

  const inSelection = (r: number, c: number) =>
    selection !== null && r >= selection.r0 && r <= selection.r1 && c >= selection.c0 && c <= selection.c1;

  return (
    <div className="wb">
      <div className="wb-bar">
        <input
          className="wb-namebox"
          aria-label="Name box"
          value={nameBox}
          onChange={(e) => setNameBox(e.target.value)}
          onKeyDown={onNameBoxKey}
          spellCheck={false}
        />
        <span className="wb-selection" data-testid="selection">
          {workbook.selection}
        </span>
        {nameBoxError && <span className="wb-error">{nameBoxError}</span>}
        <span className="wb-hint">
          drag cells or column letters to select · shift-click extends · the corner selects the used range
        </span>
      </div>
      <div className="wb-scroll">
        <table className="wb-grid" data-sheet={shown}>
          <thead>
            <tr>
              <th className="wb-corner" title="Select the used range" onClick={onCornerClick} />
              {Array.from({ length: cols }, (_, c) => (
                <th
                  key={c}
                  style={{ width: widths[c], maxWidth: widths[c] }}
                  className={selection && c >= selection.c0 && c <= selection.c1 ? "wb-col wb-hl" : "wb-col"}
                  data-col={indexToCol(c)}
                  onMouseDown={onColumnDown(c)}
                  onMouseEnter={onColumnEnter(c)}
                >
                  {indexToCol(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.map((row, r) => (
              <tr key={r}>
                <th className={selection && r >= selection.r0 && r <= selection.r1 ? "wb-row wb-hl" : "wb-row"}>
                  {r + 1}
                </th>
                {row.map((value, c) => (
                  <td
                    key={c}
                    data-cell={`${indexToCol(c)}${r + 1}`}
                    style={{ width: widths[c], maxWidth: widths[c] }}
                    className={`${typeof value === "number" ? "wb-num" : ""}${inSelection(r, c) ? " wb-sel" : ""}`}
                    onMouseDown={onCellDown(r, c)}
                    onMouseEnter={onCellEnter(r, c)}
                  >
                    {displayValue(value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {totalRows > rows && (
          <div className="wb-more">
            {totalRows - rows} more rows not drawn ({totalRows} in the used range {workbook.usedRange(shown, true)})
          </div>
        )}
      </div>
      <div className="wb-tabs" role="tablist">
        {sheets.map((name) => (
          <button
            key={name}
            role="tab"
            aria-selected={name === shown}
            className={name === shown ? "wb-tab wb-tab-on" : "wb-tab"}
            onClick={() => {
              setSheet(name);
              workbook.activate(name);
            }}
          >
            {name}
          </button>
        ))}
      </div>
    </div>
  );
}
