/**
 * Write-back, add-in side: taskpane/excel/write-blocks.ts writeColumnInBlocks turning 1M weights (× --scale)
 * into Excel's row blocks, with Excel.run stubbed so that nothing but the add-in's own work is timed (the
 * requests' JSON and the round trips belong to Excel's client library and host: the E2E rows measure those).
 * Beside it, in the same process, the naive build it replaced (a fresh [x] row and a fresh [format] row per
 * respondent, 20k-row blocks) as the ratio's reference. Prints one JSON line.
 *
 *   node bench/write-back.js [--rows 1000000] [--repeat 5]
 */
"use strict";
require("tsx/cjs");

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

/** Excel.run with a context whose range takes assignments and whose sync does nothing. */
function stubExcel() {
  const range = { values: null, numberFormat: null };
  const context = {
    workbook: {
      application: { suspendApiCalculationUntilNextSync() {} },
      worksheets: { getItem: () => ({ getRangeByIndexes: () => range }) },
    },
    sync: async () => {},
  };
  globalThis.Excel = { run: async (batch) => batch(context) };
}

/** The build the block writer replaced: new row arrays for every block (values and formats). */
async function naiveBlocks(values, numberFormat) {
  const BLOCK = 20_000;
  for (let start = 0; start < values.length; start += BLOCK) {
    const rows = Math.min(BLOCK, values.length - start);
    const grid = new Array(rows);
    for (let i = 0; i < rows; i++) {
      const x = values[start + i];
      grid[i] = [Number.isFinite(x) ? x : ""];
    }
    const formats = Array.from({ length: rows }, () => [numberFormat]);
    await globalThis.Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Data").getRangeByIndexes(start, 1, rows, 1);
      range.values = grid;
      range.numberFormat = formats;
      await context.sync();
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function best(repeat, task) {
  let ms = Infinity;
  for (let k = 0; k < repeat; k++) {
    const t0 = performance.now();
    await task();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

async function main() {
  const rows = Number(arg("rows", "1000000"));
  const repeat = Number(arg("repeat", "5"));
  stubExcel();
  const { writeColumnInBlocks } = require("../taskpane/excel/write-blocks.ts");
  // weights with full double precision, as the engine writes them
  const values = Float64Array.from({ length: rows }, (_, i) => 0.3 + ((i * 7919) % 100_003) / 41_017);
  let stats = null;
  const ms = await best(repeat, async () => {
    stats = await writeColumnInBlocks({ sheet: "Data", column: 1, firstRow: 1, values, numberFormat: "0.0000" });
  });
  const naiveMs = await best(repeat, () => naiveBlocks(values, "0.0000"));
  console.log(JSON.stringify({ rows, repeat, ms, naiveMs, blocks: stats.blocks, bytes: stats.bytes }));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
