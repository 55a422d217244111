// functions.json as the build makes it: custom-functions-metadata (what custom-functions-metadata-plugin
// runs) on functions/functions.ts. Checks the ids, parameters, result shapes and options Excel reads, that
// helpers stay out, and that the associate lines the plugin's loader appends go through the module's guard.
import * as fs from "node:fs";
import * as path from "node:path";
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import * as ts from "typescript";
import { createFakeHost } from "../fake-excel";

const SOURCE = path.join(__dirname, "..", "..", "functions", "functions.ts");

interface Parameter {
  name: string;
  description?: string;
  type?: string;
  dimensionality?: string;
  optional?: boolean;
}
interface FunctionMetadata {
  id: string;
  name: string;
  description?: string;
  parameters: Parameter[];
  result: { type?: string; dimensionality?: string };
  options?: Record<string, boolean>;
}

let generated: Awaited<ReturnType<typeof generateCustomFunctionsMetadata>>;
let functions: FunctionMetadata[];

beforeAll(async () => {
  generated = await generateCustomFunctionsMetadata(SOURCE);
  functions = generated.errors.length === 0 ? (JSON.parse(generated.metadataJson).functions as FunctionMetadata[]) : [];
}, 30_000);

function byId(id: string): FunctionMetadata {
  const found = functions.find((f) => f.id === id);
  if (!found) throw new Error(`no function ${id} in ${functions.map((f) => f.id).join(", ")}`);
  return found;
}

test("the JSDoc generates without errors, and only the two tagged functions reach Excel", () => {
  expect(generated.errors).toEqual([]);
  expect(functions.map((f) => f.id).sort()).toEqual(["BACKEND", "WEIGHT"]);
  expect(generated.associate.map((a) => [a.id, a.functionName])).toEqual([
    ["WEIGHT", "weight"],
    ["BACKEND", "backend"],
  ]);
});

test("WEIGHT: id without the namespace, data and targets required matrices, options an optional matrix", () => {
  const weight = byId("WEIGHT");
  expect(weight.name).toBe("WEIGHT");
  expect(weight.parameters.map((p) => p.name)).toEqual(["data", "targets", "options"]);
  const [data, targets, options] = weight.parameters;
  for (const p of [data, targets]) {
    expect(p.dimensionality).toBe("matrix");
    expect(p.type).toBe("any");
    expect(p.optional).toBeUndefined();
    expect(p.description).toBeTruthy();
  }
  expect(options).toMatchObject({ dimensionality: "matrix", type: "any", optional: true });
  for (const name of [
    "cap_max",
    "cap_min",
    "total",
    "tolerance",
    "max_iterations",
    "missing",
    "base",
    "group",
    "allow_unconverged",
  ]) {
    expect(options.description).toContain(name);
  }
});

test("WEIGHT: a matrix result (a spilling column), cancelable, with parameter addresses; the help says no header", () => {
  const weight = byId("WEIGHT");
  expect(weight.result.dimensionality).toBe("matrix");
  expect(weight.options).toEqual({ cancelable: true, requiresParameterAddresses: true });
  expect(weight.description).toContain("no header cell");
  expect(weight.description).toContain("allow_unconverged");
});

test("BACKEND: no parameters, a string", () => {
  const backend = byId("BACKEND");
  expect(backend.parameters).toEqual([]);
  expect(backend.result).toEqual({ type: "string" });
  expect(backend.options).toBeUndefined();
});

describe("the associate lines the metadata plugin's loader appends at build time", () => {
  /** functions.ts as webpack bundles it: the source plus the loader's lines, compiled to CommonJS. */
  function bundledModule(): (globals: object) => void {
    const appended = generated.associate
      .map((a) => `\nCustomFunctions.associate("${a.id}", ${a.functionName});`)
      .join("");
    const source = fs.readFileSync(SOURCE, "utf8") + appended;
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    return (globals) => {
      const requireFromFunctions = (request: string) =>
        request === "../engine/runtime/shared-client"
          ? { sharedEngineClient: () => ({}) }
          : // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() for the transpiled module's own imports
            require(path.join("..", "..", "functions", request));
      const module = { exports: {} };
      const names = Object.keys(globals);
      new Function("require", "module", "exports", ...names, js)(
        requireFromFunctions,
        module,
        module.exports,
        ...Object.values(globals),
      );
    };
  }

  test("with a host: each function is associated once, not twice", () => {
    const host = createFakeHost({ mode: "desktop" });
    const uninstall = host.install(globalThis);
    try {
      bundledModule()({});
      expect(host.functions.associations).toEqual(["WEIGHT", "BACKEND"]);
    } finally {
      uninstall();
    }
  });

  test("without a host: the appended lines do not throw a ReferenceError", () => {
    expect((globalThis as { CustomFunctions?: unknown }).CustomFunctions).toBeUndefined();
    expect(() => bundledModule()({})).not.toThrow();
  });
});
