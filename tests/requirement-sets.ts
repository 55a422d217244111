// Which Office requirement sets the add-in's code needs, read from the code itself: every Office.js member the
// shipped sources use (a property, a call, a name inside a load("…") string) is resolved by the TypeScript
// checker to its declaration in @types/office-js or @types/custom-functions-runtime, whose doc comment names
// its set ("[Api set: ExcelApi 1.7]"). tests/manifest-requirements.test.ts compares the result with manifest.xml.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

export interface ApiUse {
  /** Type.member, e.g. "Worksheet.getRangeByIndexes" */
  api: string;
  set: string;
  version: string;
  /** "taskpane/excel/read-data.ts:37" */
  at: string;
}

const API_SET = /\[\s*Api set:\s*([A-Za-z]+)\s+(\d+\.\d+)/;
const TYPE_PACKAGES = /[\\/]@types[\\/](office-js|custom-functions-runtime)[\\/]/;

/** The scanned files under the tests' compiler options: the project that sees every folder and every type. */
function program(root: string, files: string[]): ts.Program {
  const configPath = path.join(root, "tests", "tsconfig.json");
  const config = ts.readConfigFile(configPath, (p) => fs.readFileSync(p, "utf8"));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(configPath));
  return ts.createProgram(files, { ...parsed.options, composite: false, noEmit: true });
}

function docText(declaration: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(declaration)
    .map((doc) => doc.getText())
    .join("\n");
}

/** The set a declaration's doc names, when it is one of Office's. */
function setOf(declaration: ts.Declaration | undefined): { set: string; version: string } | undefined {
  if (!declaration || !TYPE_PACKAGES.test(declaration.getSourceFile().fileName)) return undefined;
  const match = API_SET.exec(docText(declaration));
  return match ? { set: match[1], version: match[2] } : undefined;
}

function ownerName(declaration: ts.Declaration): string {
  const parent = declaration.parent as ts.Node & { name?: ts.Identifier };
  return parent?.name?.getText() ?? "?";
}

/** Property names in a load() argument: "values, address", ["values"], { values: true }. */
function loadedNames(call: ts.CallExpression): string[] {
  const names: string[] = [];
  for (const arg of call.arguments) {
    if (ts.isStringLiteralLike(arg)) {
      names.push(...arg.text.split(","));
    } else if (ts.isArrayLiteralExpression(arg)) {
      for (const el of arg.elements) if (ts.isStringLiteralLike(el)) names.push(el.text);
    } else if (ts.isObjectLiteralExpression(arg)) {
      for (const p of arg.properties) if (p.name && ts.isIdentifier(p.name)) names.push(p.name.text);
    }
  }
  // "format/font/bold" loads a navigation property: its first step is the member used here
  return names.map((n) => n.trim().split("/")[0]).filter((n) => n !== "");
}

/** Every use of an Office.js member with a requirement set in `files` (absolute paths). */
export function scanApiUses(root: string, files: string[]): ApiUse[] {
  const prog = program(root, files);
  const checker = prog.getTypeChecker();
  const uses: ApiUse[] = [];
  const record = (declaration: ts.Declaration | undefined, node: ts.Node, member: string) => {
    const found = setOf(declaration);
    if (!found || !declaration) return;
    const source = node.getSourceFile();
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    uses.push({
      api: `${ownerName(declaration)}.${member}`,
      ...found,
      at: `${path.relative(root, source.fileName)}:${line}`,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const call = ts.isCallExpression(node.parent) && node.parent.expression === node ? node.parent : undefined;
      const signature = call ? checker.getResolvedSignature(call)?.declaration : undefined;
      const declaration =
        signature && !ts.isJSDocSignature(signature)
          ? signature
          : checker.getSymbolAtLocation(node.name)?.declarations?.[0];
      record(declaration, node, node.name.text);
      if (call && node.name.text === "load") {
        const type = checker.getTypeAtLocation(node.expression);
        for (const name of loadedNames(call)) {
          const property = checker.getPropertyOfType(type, name);
          record(property?.declarations?.[0], call, name);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const file of files) {
    const source = prog.getSourceFile(file);
    if (source) visit(source);
  }
  return uses;
}

/** "1.10" > "1.9": requirement set versions compare part by part. */
export function compareVersions(a: string, b: string): number {
  const [a1, a2] = a.split(".").map(Number);
  const [b1, b2] = b.split(".").map(Number);
  return a1 - b1 || a2 - b2;
}

/** The shipped sources that may call Office: the pane's Excel I/O and the worksheet functions. */
export function officeSources(root: string): string[] {
  const dirs = ["taskpane", "functions"];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name)) files.push(full);
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  return files.sort();
}
