// functions/value-types.ts: which arguments need their value types, and the fallbacks (no address, a workbook that cannot answer) as values.
import { holdsZero, readArgumentTypes } from "../../functions/value-types";
import { createFakeHost } from "../fake-excel";

describe("holdsZero", () => {
  test("only a numeric 0 can be a desktop blank", () => {
    expect(
      holdsZero([
        ["a", 1],
        [null, ""],
      ]),
    ).toBe(false);
    expect(holdsZero([["a", 0]])).toBe(true);
    expect(holdsZero([["0"]])).toBe(false);
    expect(holdsZero(0)).toBe(true);
  });
});

describe("readArgumentTypes", () => {
  function installed(sheets: Record<string, unknown[][]>, mode: "web" | "desktop" = "desktop") {
    const host = createFakeHost({ mode, sheets });
    return { host, uninstall: host.install(globalThis) };
  }

  test("reads the types of the arguments that hold a 0, in one batch; the others need none", async () => {
    const { host, uninstall } = installed({
      Data: [
        ["a", ""],
        [0, 1],
      ],
    });
    try {
      const types = await readArgumentTypes(
        [
          [
            ["a", 0],
            [0, 1],
          ],
          [["x"]],
        ],
        ["Data!A1:B2", "Data!A1"],
      );
      expect(types).toEqual([
        {
          ok: true,
          types: [
            ["String", "Empty"],
            ["Double", "Double"],
          ],
        },
        undefined,
      ]);
      expect(host.workbook.counters.syncs).toBe(1);
    } finally {
      uninstall();
    }
  });

  test("no address, a sheet that is gone, or types of another shape: the reason, not an exception", async () => {
    const { uninstall } = installed({ Data: [["a", ""]] });
    try {
      const zero = [["a", 0]];
      expect(await readArgumentTypes([zero], undefined)).toEqual([{ ok: false, why: "no_address" }]);
      expect(await readArgumentTypes([zero], ["Gone!A1:B1"])).toEqual([{ ok: false, why: "unreadable" }]);
      expect(await readArgumentTypes([zero], ["Data!A1:C1"])).toEqual([{ ok: false, why: "unreadable" }]);
    } finally {
      uninstall();
    }
  });

  test("on the web (empty cells arrive as null) a 0 is a 0: nothing is read", async () => {
    const { host, uninstall } = installed({ Data: [["a", 0]] }, "web");
    try {
      expect(await readArgumentTypes([[["a", 0]]], ["Data!A1:B1"])).toEqual([undefined]);
      expect(host.workbook.counters.syncs).toBe(0);
    } finally {
      uninstall();
    }
  });
});
