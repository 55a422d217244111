// The emulator's protocol without a browser: ProcessQuery bodies shaped as Microsoft's client library writes
// them (captured from excel-web-16.00.js, see FACTS.md) in, Results / Error out, payload limits on the bytes.
import { answerMessage, type WireRecord } from "./channel";
import { hostState as state } from "./host-state";
import type { HostState } from "./object-model";
import { processQuery } from "./protocol";
import type { RequestBody } from "./wire";

/** worksheets.getItem(sheet).getRange(address).load(select), as the library sends it. */
function loadRange(sheet: string, address: string, select: string[]): RequestBody {
  return {
    AutoKeepReference: false,
    Actions: [
      { Id: 5, ActionType: 1, Name: "", ObjectPathId: 4 },
      { Id: 6, ActionType: 2, Name: "", ObjectPathId: 4, QueryInfo: { Select: select }, L: [1, 2, 3, 4] },
    ],
    ObjectPaths: {
      "1": { Id: 1, ObjectPathType: 1, Name: "" },
      "2": { Id: 2, ObjectPathType: 4, Name: "Worksheets", ParentObjectPathId: 1 },
      "3": { Id: 3, ObjectPathType: 5, Name: "", ParentObjectPathId: 2, ArgumentInfo: { Arguments: [sheet] } },
      "4": {
        Id: 4,
        ObjectPathType: 3,
        Name: "GetRange",
        ParentObjectPathId: 3,
        ArgumentInfo: { Arguments: [address] },
      },
    },
  };
}

test("a range load answers PascalCase properties under the query's ActionId", () => {
  const s = state();
  s.model.sheetByName("Sheet1")!.writeCell(0, 0, { kind: "value", value: 7 });
  const response = processQuery(s, loadRange("Sheet1", "A1:B1", ["values", "address"]));
  expect(response.Error).toBeUndefined();
  expect(response.Results).toContainEqual({ ActionId: 6, Value: { Values: [[7, ""]], Address: "Sheet1!A1:B1" } });
});

test("an unknown sheet stops the batch with ItemNotFound at the failing action", () => {
  const response = processQuery(state(), loadRange("Nope", "A1", ["values"]));
  expect(response.Error).toMatchObject({
    Code: "ItemNotFound",
    Location: "WorksheetCollection.getItem",
    ActionIndex: 0,
    HttpStatusCode: 404,
  });
  expect(response.Results).toEqual([]);
});

test("a bad address is InvalidArgument; a member the emulator lacks is ApiNotFound naming it", () => {
  expect(processQuery(state(), loadRange("Sheet1", "A1:", ["values"])).Error?.Code).toBe("InvalidArgument");
  const lacking = processQuery(state(), loadRange("Sheet1", "A1", ["hyperlink"])).Error;
  expect(lacking?.Code).toBe("ApiNotFound");
  expect(lacking?.Message).toMatch(/Range\.Hyperlink/);
});

test("web: a read of more than 5,000,000 cells answers null values", () => {
  const body = loadRange("Sheet1", "A1:J500001", ["values"]);
  const web = processQuery(state("web"), body).Results.find((r) => r.ActionId === 6);
  expect(web?.Value).toEqual({ Values: null });
});

test("web: a request over 5 MB fails with Office's error 5103 before anything runs; desktop takes it", () => {
  const write = (s: HostState) => {
    const body = loadRange("Sheet1", "A1:A6000", ["address"]);
    body.Actions.push({
      Id: 7,
      ActionType: 4,
      Name: "Values",
      ObjectPathId: 4,
      ArgumentInfo: { Arguments: [Array.from({ length: 6000 }, () => ["x".repeat(1000)])] },
    });
    const log: WireRecord[] = [];
    let result: unknown;
    answerMessage(s, [null, "POST", "ProcessQuery", [], JSON.stringify(body)], log, (r) => (result = r));
    return { result, log, s };
  };
  const web = write(state("web"));
  expect(web.result).toMatchObject({ status: "failed", error: { code: 5103 } });
  expect(web.log[0].outcome).toBe("request-too-large");
  expect(web.s.model.sheetByName("Sheet1")!.value(0, 0)).toBeUndefined();
  const desktop = write(state("desktop"));
  expect(desktop.result).toMatchObject({ status: "succeeded" });
  expect(desktop.s.model.sheetByName("Sheet1")!.value(5999, 0)).toBe("x".repeat(1000));
});

/** worksheets.getItem(sheet).getRange(address).<name> = value, as the library sends a property set. */
function setRange(sheet: string, address: string, name: string, value: unknown): RequestBody {
  const load = loadRange(sheet, address, []);
  return {
    ...load,
    Actions: [
      load.Actions[0],
      { Id: 6, ActionType: 4, Name: name, ObjectPathId: 4, ArgumentInfo: { Arguments: [value] } },
    ],
  };
}

test("a 1×1 number format applies to every cell of the range; a 1×1 values grid is InvalidArgument", () => {
  const s = state();
  expect(processQuery(s, setRange("Sheet1", "A1:B3", "NumberFormat", [["0.00"]])).Error).toBeUndefined();
  const sheet = s.model.sheetByName("Sheet1")!;
  for (const [r, c] of [
    [0, 0],
    [2, 1],
  ])
    expect(sheet.numberFormat(r, c)).toBe("0.00");
  expect(processQuery(s, setRange("Sheet1", "A1:B3", "Values", [[1]])).Error?.Code).toBe("InvalidArgument");
});

test("a loaded collection's item without an id is reached by GetItemAt(index), as the library addresses it", () => {
  const s = state();
  s.model.addSheet("Second").writeCell(0, 0, { kind: "value", value: "here" });
  const body = loadRange("Sheet1", "A1", ["values"]);
  body.ObjectPaths["3"] = {
    Id: 3,
    ObjectPathType: 3,
    Name: "GetItemAt",
    ParentObjectPathId: 2,
    ArgumentInfo: { Arguments: [1] },
  };
  expect(processQuery(s, body).Results).toContainEqual({ ActionId: 6, Value: { Values: [["here"]] } });
  body.ObjectPaths["3"].ArgumentInfo = { Arguments: [5] };
  expect(processQuery(s, body).Error?.Code).toBe("ItemNotFound");
});
