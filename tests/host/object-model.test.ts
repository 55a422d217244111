// Members of the emulator's object model (object-model.ts), driven through ProcessQuery bodies shaped as
// Microsoft's client library writes them (the shapes seen from excel-web-16.00.js in the browser tests).
import type { SheetModel } from "../fake-excel/model";
import { hostState } from "./host-state";
import type { HostState } from "./object-model";
import { processQuery } from "./protocol";
import type { RequestBody, WireAction, WireObjectPath } from "./wire";

/** Object paths 1 workbook → 2 Worksheets → 3 getItem(sheet) → 4 Charts → 5 `step` on the collection. */
function chartPaths(
  sheet: string,
  step: Omit<WireObjectPath, "Id" | "ParentObjectPathId">,
): RequestBody["ObjectPaths"] {
  return {
    "1": { Id: 1, ObjectPathType: 1, Name: "" },
    "2": { Id: 2, ObjectPathType: 4, Name: "Worksheets", ParentObjectPathId: 1 },
    "3": { Id: 3, ObjectPathType: 5, Name: "", ParentObjectPathId: 2, ArgumentInfo: { Arguments: [sheet] } },
    "4": { Id: 4, ObjectPathType: 4, Name: "Charts", ParentObjectPathId: 3 },
    "5": { Id: 5, ParentObjectPathId: 4, ...step },
  };
}

/** A method path on the chart collection, e.g. GetItemOrNullObject(name). */
function method(name: string, arg: unknown) {
  return { ObjectPathType: 3, Name: name, ArgumentInfo: { Arguments: [arg] } };
}

/** The chart at path 5, loaded with `select` (what `chart.load("name")` sends). */
function loadChart(sheet: string, step: ReturnType<typeof method>, select = ["name"]): RequestBody {
  return {
    AutoKeepReference: true,
    Actions: [{ Id: 6, ActionType: 2, Name: "", ObjectPathId: 5, QueryInfo: { Select: select }, L: [1, 2, 3, 4, 5] }],
    ObjectPaths: chartPaths(sheet, step),
  };
}

function valueOf(state: HostState, body: RequestBody): unknown {
  const response = processQuery(state, body);
  expect(response.Error).toBeUndefined();
  return response.Results.find((r) => r.ActionId === 6)?.Value;
}

function addChart(state: HostState, sheet: SheetModel, name?: string) {
  const chart = state.model.addChart(sheet, "Line", { sheet, rect: { r0: 0, c0: 0, r1: 3, c1: 1 } }, "Columns");
  if (name !== undefined) chart.name = name;
  return chart;
}

describe("ChartCollection items by name", () => {
  test("getItemOrNullObject: a missing name is a null object, a present one the first chart of that name", () => {
    const s = hostState();
    const sheet = s.model.sheetByName("Sheet1")!;
    const first = addChart(s, sheet, "Advice");
    addChart(s, sheet, "Advice");
    expect(valueOf(s, loadChart("Sheet1", method("GetItemOrNullObject", "Missing")))).toBeNull();
    expect(valueOf(s, loadChart("Sheet1", method("GetItemOrNullObject", "Advice"), ["name", "id"]))).toEqual({
      Name: "Advice",
      Id: first.id,
    });
  });

  test("a chart is found on its own sheet only", () => {
    const s = hostState();
    addChart(s, s.model.addSheet("Other"), "Advice");
    expect(valueOf(s, loadChart("Sheet1", method("GetItemOrNullObject", "Advice")))).toBeNull();
    expect(valueOf(s, loadChart("Other", method("GetItemOrNullObject", "Advice")))).toEqual({ Name: "Advice" });
  });

  test("getItem: a missing name is ItemNotFound at ChartCollection.getItem", () => {
    const s = hostState();
    const response = processQuery(s, loadChart("Sheet1", method("GetItem", "Missing")));
    expect(response.Error).toMatchObject({ Code: "ItemNotFound", Location: "ChartCollection.getItem" });
  });

  test("the indexer reaches a loaded item by its id, as the library addresses it", () => {
    const s = hostState();
    const chart = addChart(s, s.model.sheetByName("Sheet1")!, "Advice");
    const indexer = { ObjectPathType: 5, Name: "", ArgumentInfo: { Arguments: [chart.id] } };
    expect(valueOf(s, loadChart("Sheet1", indexer))).toEqual({ Name: "Advice" });
  });
});

describe("Chart.name", () => {
  function rename(from: string, to: unknown): RequestBody {
    const set: WireAction = { Id: 6, ActionType: 4, Name: "Name", ObjectPathId: 5, ArgumentInfo: { Arguments: [to] } };
    return { AutoKeepReference: true, Actions: [set], ObjectPaths: chartPaths("Sheet1", method("GetItem", from)) };
  }

  test("set: the chart answers to its new name", () => {
    const s = hostState();
    const chart = addChart(s, s.model.sheetByName("Sheet1")!);
    expect(processQuery(s, rename(chart.name, "Advice")).Error).toBeUndefined();
    expect(valueOf(s, loadChart("Sheet1", method("GetItem", "Advice"), ["id"]))).toEqual({ Id: chart.id });
  });

  test("set to a non-string is InvalidArgument and leaves the name", () => {
    const s = hostState();
    const chart = addChart(s, s.model.sheetByName("Sheet1")!, "Advice");
    expect(processQuery(s, rename("Advice", 7)).Error?.Code).toBe("InvalidArgument");
    expect(chart.name).toBe("Advice");
  });
});
