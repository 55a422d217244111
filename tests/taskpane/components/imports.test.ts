// The components' imports follow the arrows (STYLE.md): they get Excel work as callbacks, so from
// taskpane/excel/ they may import types only; their styles are Fluent makeStyles classes, not inline objects.
import * as fs from "fs";
import * as path from "path";

const DIR = path.join(__dirname, "..", "..", "..", "taskpane", "components");
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith(".tsx"));

/** Every `import … from "…"` statement of a source, flattened to one line. */
function imports(source: string): string[] {
  return [...source.matchAll(/^import\s[\s\S]*?from\s+"[^"]+";/gm)].map((m) => m[0].replace(/\s+/g, " "));
}

test.each(FILES)("%s imports no value from taskpane/excel/", (file) => {
  const fromExcel = imports(fs.readFileSync(path.join(DIR, file), "utf8")).filter((i) => /from "\.\.\/excel\//.test(i));
  expect(fromExcel.filter((i) => !i.startsWith("import type "))).toEqual([]);
});

test.each(FILES)("%s has no inline style objects", (file) => {
  expect(fs.readFileSync(path.join(DIR, file), "utf8")).not.toMatch(/\bstyle=\{\{/);
});
