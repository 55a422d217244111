// Structural checks on both wasm builds (catches the silent "unshared memory" threaded build), that the
// shipped modules went through wasm-opt and still give their glue every export it calls, and a Node call
// into the single build through the same adapter the browser uses.
import * as fs from "node:fs";
import * as path from "node:path";
import { loadNodeBackend, NODE_WASM_GLUE } from "../../../engine/runtime/node";

const pkg = (name: string) =>
  path.join(__dirname, "..", "..", "..", "engine", "runtime", "wasm", `pkg-${name}`, "rim_engine_bg.wasm");
/** The linker's output, before wasm-bindgen rewrites imports and consumes the TLS exports. */
const linked = (name: string) =>
  path.join(
    __dirname,
    "..",
    "..",
    "..",
    "target",
    `wasm-${name}`,
    "wasm32-unknown-unknown",
    "release",
    "rim_engine.wasm",
  );

/** Names of a module's custom sections, read from its binary. */
function customSections(bytes: Uint8Array): string[] {
  let pos = 8;
  const u32 = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const names: string[] = [];
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 0) {
      const len = u32();
      names.push(Buffer.from(bytes.subarray(pos, pos + len)).toString("utf8"));
    }
    pos = end;
  }
  return names;
}

/** The module exports a build's glue calls (`wasm.name` in rim_engine.js). */
function exportsUsedByGlue(name: string): string[] {
  const glue = fs.readFileSync(path.join(path.dirname(pkg(name)), "rim_engine.js"), "utf8");
  return [...new Set([...glue.matchAll(/\bwasm\.(\w+)/g)].map((m) => m[1]))].sort();
}

/** Checks common to both shipped modules. */
function describeShipped(name: string): void {
  describe(`shipped ${name} module`, () => {
    const bytes = new Uint8Array(fs.readFileSync(pkg(name)));

    // wasm-opt (scripts/build-wasm.sh) drops the function-name section that wasm-bindgen keeps; its absence
    // is how a module that skipped the optimiser shows.
    test("went through wasm-opt (no name section) and keeps its target features", () => {
      const sections = customSections(bytes);
      expect(sections).not.toContain("name");
      expect(sections).toContain("target_features");
    });

    test("exports everything its glue calls", () => {
      const used = exportsUsedByGlue(name);
      expect(used.length).toBeGreaterThan(10);
      const exported = new Set(WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name));
      expect(used.filter((e) => !exported.has(e))).toEqual([]);
    });
  });
}

describeShipped("threads");
describeShipped("single");

interface MemoryImport {
  module: string;
  name: string;
  shared: boolean;
  maximum: number | null;
}

/** Reads the memory imports of a module from its binary (the JS API does not tell whether memory is shared). */
function memoryImports(bytes: Uint8Array): MemoryImport[] {
  let pos = 8; // magic + version
  const u32 = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const name = () => {
    const len = u32();
    const text = Buffer.from(bytes.subarray(pos, pos + len)).toString("utf8");
    pos += len;
    return text;
  };
  const limits = () => {
    const flags = bytes[pos++];
    u32(); // initial
    const maximum = flags & 1 ? u32() : null;
    return { shared: (flags & 2) !== 0, maximum };
  };
  const found: MemoryImport[] = [];
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 2) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const module = name();
        const field = name();
        const kind = bytes[pos++];
        if (kind === 0)
          u32(); // function: type index
        else if (kind === 1) {
          pos++; // table: reftype
          limits();
        } else if (kind === 2) found.push({ module, name: field, ...limits() });
        else if (kind === 3)
          pos += 2; // global: valtype + mutability
        else if (kind === 4) {
          pos++; // tag: attribute
          u32();
        } else throw new Error(`unknown import kind ${kind}`);
      }
      return found;
    }
    pos = end;
  }
  return found;
}

describe("threaded wasm build", () => {
  const raw = new Uint8Array(fs.readFileSync(linked("threads")));
  const bytes = new Uint8Array(fs.readFileSync(pkg("threads")));
  const module = new WebAssembly.Module(bytes);

  test("the linked module imports a shared env.memory with a maximum", () => {
    const imports = memoryImports(raw);
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ module: "env", name: "memory", shared: true });
    expect(imports[0].maximum).toBeGreaterThan(0);
  });

  test("the linked module exports the thread-local storage symbols wasm-bindgen's thread glue needs", () => {
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(raw)).map((e) => e.name);
    for (const symbol of ["__wasm_init_tls", "__tls_size", "__tls_align", "__tls_base", "__heap_base"])
      expect(exports).toContain(symbol);
  });

  test("the shipped module still imports (never owns) a shared memory", () => {
    const imports = memoryImports(bytes);
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ name: "memory", shared: true });
    expect(WebAssembly.Module.exports(module).map((e) => e.name)).toContain("__wbindgen_thread_destroy");
  });

  test("exposes the rayon pool entry point", () => {
    const glue = fs.readFileSync(path.join(path.dirname(pkg("threads")), "rim_engine.js"), "utf8");
    expect(glue).toMatch(/export function initThreadPool/);
    expect(glue).toMatch(/shared:\s*true/);
  });
});

describe("single-threaded wasm build", () => {
  const bytes = new Uint8Array(fs.readFileSync(pkg("single")));

  test("owns an unshared memory and imports none", () => {
    expect(memoryImports(bytes)).toHaveLength(0);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.exports(module).some((e) => e.kind === "memory")).toBe(true);
  });

  test("loads in Node and rakes through the shim", async () => {
    expect(fs.existsSync(NODE_WASM_GLUE)).toBe(true);
    const backend = await loadNodeBackend("wasm");
    expect(backend.name).toBe("wasm");
    // Two respondents per cell of a 2×2 design; targets 60/40 and 30/70.
    const problem = {
      n: 4,
      variables: [
        {
          name: "a",
          categories: ["x", "y"],
          codes: Uint8Array.from([0, 0, 1, 1]),
          targets: Float64Array.from([0.6, 0.4]),
        },
        {
          name: "b",
          categories: ["u", "v"],
          codes: Uint8Array.from([0, 1, 0, 1]),
          targets: Float64Array.from([0.3, 0.7]),
        },
      ],
    };
    const result = backend.rake(problem, { tolerance: 1e-12, maxIterations: 100, missing: "error" });
    expect(result.status).toBe("converged");
    expect(result.backend).toBe("wasm");
    // Independent margins: w = 4 · pa · pb.
    expect(Array.from(result.weights)).toEqual(
      [4 * 0.6 * 0.3, 4 * 0.6 * 0.7, 4 * 0.4 * 0.3, 4 * 0.4 * 0.7].map((w) => expect.closeTo(w, 12)),
    );
  });
});
