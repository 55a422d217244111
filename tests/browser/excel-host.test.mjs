// Microsoft's own Excel client library (@microsoft/office-js 1.1.110) in the shipped dist/taskpane.html,
// answered by the host emulator (tests/host), in both flavours: what Microsoft's code enforces by itself
// (a method Excel lacks, a property read without load), the host's documented errors (unknown sheet, bad
// address, protected sheet), Excel's typing of written text, the web flavour's payload and read limits on the
// real wire bytes, and =RIM.WEIGHT() / =RIM.BACKEND() with each flavour's empty cells.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertDistBuilt, cspViolations, launchBrowser, newContext, startServer, withDetail } from "./harness.mjs";
import { describeFailure, waitForPane } from "./pane.mjs";

let browser;
let server;

before(async () => {
  assertDistBuilt();
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the shipped task pane on the emulator; `fn(page)` runs with the pane mounted. */
async function withPane(flavour, seed, fn) {
  const context = await newContext(browser, { excelHost: { flavour, seed } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}taskpane.html`);
    await waitForPane(page);
    await fn(page, context);
    assert.deepEqual(cspViolations(context), [], "no CSP violation");
  } catch (e) {
    throw withDetail(e, await describeFailure(context));
  } finally {
    await context.close();
  }
}

/**
 * Runs `body` (statements of an async function of `context`) inside Excel.run; returns { value } or { error }.
 * The expression goes through the DevTools protocol, not eval in the page, so the page's CSP stays as shipped.
 */
function excelRun(page, body) {
  return page.evaluate(`(async () => {
    try {
      return { value: await Excel.run(async (context) => { ${body} }) };
    } catch (e) {
      return {
        error: {
          name: e.name,
          code: e.code,
          message: e.message,
          location: e.debugInfo?.errorLocation,
          statement: e.debugInfo?.statement,
          isOfficeError: e instanceof OfficeExtension.Error,
        },
      };
    }
  })()`);
}

for (const flavour of ["web", "desktop"]) {
  describe(`${flavour} flavour`, () => {
    test("Microsoft's code refuses a method Excel lacks and a property read without load", async () => {
      await withPane(flavour, null, async (page) => {
        const missing = await excelRun(
          page,
          `context.workbook.worksheets.getItem("Sheet1").getRangeByIndex(0, 0, 1, 1);`,
        );
        assert.equal(missing.error?.name, "TypeError", JSON.stringify(missing));
        assert.match(missing.error.message, /getRangeByIndex is not a function/);

        const unloaded = await excelRun(
          page,
          `const r = context.workbook.worksheets.getItem("Sheet1").getRange("A1"); await context.sync(); return r.values;`,
        );
        assert.equal(unloaded.error?.code, "PropertyNotLoaded", JSON.stringify(unloaded));
        assert.equal(unloaded.error.isOfficeError, true);

        const stale = await excelRun(
          page,
          `let r; await Excel.run(async (c) => { r = c.workbook.worksheets.getItem("Sheet1").getRange("A1"); await c.sync(); });
           r.load("values"); await r.context.sync();`,
        );
        assert.equal(stale.error?.code, "InvalidObjectPath", JSON.stringify(stale));
      });
    });

    test("the host answers Excel's errors: unknown sheet, bad address, protected sheet; the batch stops there", async () => {
      await withPane(flavour, null, async (page) => {
        const unknown = await excelRun(
          page,
          `context.workbook.worksheets.getItem("Nope").load("name"); await context.sync();`,
        );
        assert.equal(unknown.error?.code, "ItemNotFound", JSON.stringify(unknown));
        assert.equal(unknown.error.location, "WorksheetCollection.getItem");
        assert.match(unknown.error.statement, /getItem/);

        const bad = await excelRun(
          page,
          `context.workbook.worksheets.getItem("Sheet1").getRange("A1:").load("values"); await context.sync();`,
        );
        assert.equal(bad.error?.code, "InvalidArgument", JSON.stringify(bad));

        const shape = await excelRun(
          page,
          `context.workbook.worksheets.getItem("Sheet1").getRange("A1:B1").values = [[1]]; await context.sync();`,
        );
        assert.equal(shape.error?.code, "InvalidArgument", JSON.stringify(shape));

        const guarded = await excelRun(
          page,
          `const s = context.workbook.worksheets.getItem("Sheet1");
           s.getRange("A1").values = [["before"]];
           s.protection.protect();
           s.getRange("A2").values = [["refused"]];
           s.getRange("A3").values = [["never run"]];
           await context.sync();`,
        );
        assert.equal(guarded.error?.code, "AccessDenied", JSON.stringify(guarded));
        const cells = await page.evaluate(() => window.__rimHost.workbook.getValues("Sheet1", "A1:A3"));
        assert.deepEqual(cells, [["before"], [""], [""]], "actions before the failing one stay, later ones never run");
      });
    });

    test("text written to values is typed as Excel types it; Text-formatted cells keep it as text", async () => {
      await withPane(flavour, null, async (page) => {
        const out = await excelRun(
          page,
          `const s = context.workbook.worksheets.getItem("Sheet1");
           s.getRange("A1:E1").values = [["=1+1", "+x", "-5", "@y", "0012"]];
           const t = s.getRange("A2:B2"); t.numberFormat = [["@", "@"]]; t.values = [["=1+1", "-x"]];
           const r = s.getRange("A1:E2").load("values,formulas"); await context.sync();
           return { values: r.values, formulas: r.formulas };`,
        );
        assert.equal(out.error, undefined, JSON.stringify(out));
        assert.deepEqual(out.value.formulas[0], ["=1+1", "=+x", -5, "=@y", 12]);
        assert.deepEqual(out.value.values[1].slice(0, 2), ["=1+1", "-x"]);
      });
    });

    // On desktop the empty cells past the data arrive as 0 (issue 11 item 1): the function must read them as blank.
    test("=RIM.WEIGHT() over a generous range and =RIM.BACKEND() through the shared runtime", async () => {
      await withPane(flavour, { n: 200 }, async (page) => {
        await page.waitForFunction(() => window.__rimHost.functions.ids().includes("WEIGHT"));
        const backend = await page.evaluate(() => window.__rimHost.functions.invoke("BACKEND", []));
        assert.equal(backend.error, undefined, JSON.stringify(backend));
        assert.match(String(backend.value), /^(wasm-threads|wasm|ts)\b/);

        // 200 respondents in Survey!A1:F201, targets in Targets!A1:C13; both ranges reach past the data.
        const weight = await page.evaluate(() =>
          window.__rimHost.functions.invoke("WEIGHT", [{ range: "Survey!A1:E260" }, { range: "Targets!A1:C20" }]),
        );
        const empty = await page.evaluate(() => window.__rimHost.functions.argumentGrid("Survey!A260:A260")[0][0]);
        assert.equal(empty, flavour === "desktop" ? 0 : null, "the flavour's empty cell");
        assert.equal(weight.error, undefined, `=RIM.WEIGHT() on ${flavour}: ${JSON.stringify(weight)}`);
        const w = weight.value.map((row) => row[0]);
        assert.equal(w.filter((x) => typeof x === "number" && x > 0).length, 200);
      });
    });
  });
}

describe("web flavour limits, on the wire bytes Microsoft's library produced", () => {
  test("a request over 5 MB fails with RequestPayloadSizeLimitExceeded; a read over 5,000,000 cells returns null", async () => {
    await withPane("web", null, async (page) => {
      const big = await excelRun(
        page,
        `const text = "x".repeat(1000);
         const grid = Array.from({ length: 6000 }, () => [text]);
         context.workbook.worksheets.getItem("Sheet1").getRange("A1:A6000").values = grid;
         await context.sync();`,
      );
      assert.equal(big.error?.code, "RequestPayloadSizeLimitExceeded", JSON.stringify(big));
      const wire = await page.evaluate(() => window.__rimHost.wire.at(-1));
      assert.equal(wire.outcome, "request-too-large");
      assert.ok(wire.requestBytes > 5 * 1024 * 1024, `${wire.requestBytes} bytes`);

      const wide = await excelRun(
        page,
        `const r = context.workbook.worksheets.getItem("Sheet1").getRangeByIndexes(0, 0, 500001, 10).load("values");
         await context.sync(); return r.values;`,
      );
      assert.equal(wide.error, undefined, JSON.stringify(wide));
      assert.equal(wide.value, null);
    });
  });

  test("a response over 5 MB fails with ResponsePayloadSizeLimitExceeded", async () => {
    await withPane("web", null, async (page) => {
      await page.evaluate(() => {
        const text = "y".repeat(1000);
        window.__rimHost.workbook.setValues(
          "Sheet1",
          "A1:A6000",
          Array.from({ length: 6000 }, () => [text]),
          { raw: true },
        );
      });
      const read = await excelRun(
        page,
        `const r = context.workbook.worksheets.getItem("Sheet1").getRange("A1:A6000").load("values"); await context.sync();`,
      );
      assert.equal(read.error?.code, "ResponsePayloadSizeLimitExceeded", JSON.stringify(read));
    });
  });
});

test("desktop flavour: no payload limit", async () => {
  await withPane("desktop", null, async (page) => {
    const big = await excelRun(
      page,
      `const text = "x".repeat(1000);
       context.workbook.worksheets.getItem("Sheet1").getRange("A1:A6000").values = Array.from({ length: 6000 }, () => [text]);
       const r = context.workbook.worksheets.getItem("Sheet1").getRange("A6000").load("values"); await context.sync();
       return r.values[0][0].length;`,
    );
    assert.deepEqual(big, { value: 1000 });
  });
});
