// The backend shim: detection order, the reasons recorded for skipped backends, forcing, and falling back
// when a build fails to load or never starts.
import {
  BACKEND_LOAD_TIMEOUT_MS,
  BackendUnavailableError,
  getBackend,
  selectBackend,
  type HostCapabilities,
} from "../../../engine/runtime/backend";
import type { WasmEngineModule } from "../../../engine/runtime/wasm-adapter";

const isolated: HostCapabilities = {
  webAssembly: true,
  sharedArrayBuffer: true,
  crossOriginIsolated: true,
  poolThreads: 3,
};
const fakeWasm = (threads: number) => ({ thread_count: () => threads }) as unknown as WasmEngineModule;

describe("selectBackend", () => {
  test("an isolated host with both builds gets the threaded one, with the pool size asked for", async () => {
    const asked: number[] = [];
    const backend = await selectBackend("auto", isolated, {
      threads: async (k) => (asked.push(k), fakeWasm(k)),
      single: async () => fakeWasm(1),
    });
    expect([backend.name, backend.threads, asked]).toEqual(["wasm-threads", 3, [3]]);
    expect(getBackend()).toEqual({ backend: "wasm-threads", threads: 3, skipped: [] });
  });

  test("a non-isolated host gets the single build and says why threads were skipped", async () => {
    const backend = await selectBackend(
      "auto",
      { ...isolated, crossOriginIsolated: false, sharedArrayBuffer: false },
      {
        threads: async () => {
          throw new Error("must not be loaded");
        },
        single: async () => fakeWasm(1),
      },
    );
    expect(backend.name).toBe("wasm");
    expect(getBackend()!.skipped).toEqual([
      { backend: "wasm-threads", reason: expect.stringContaining("cross-origin isolated") },
    ]);
  });

  test("without WebAssembly the TS engine runs, and both wasm builds are reported skipped", async () => {
    const backend = await selectBackend(
      "auto",
      { ...isolated, webAssembly: false },
      { threads: async () => fakeWasm(2), single: async () => fakeWasm(1) },
    );
    expect(backend.name).toBe("ts");
    expect(getBackend()!.skipped.map((s) => [s.backend, s.reason])).toEqual([
      ["wasm-threads", "WebAssembly is not available in this host"],
      ["wasm", "WebAssembly is not available in this host"],
    ]);
  });

  test("a build that fails to load falls through to the next, with the loader's message", async () => {
    const backend = await selectBackend("auto", isolated, {
      threads: async () => {
        throw new Error("Memory could not be cloned");
      },
      single: async () => fakeWasm(1),
    });
    expect(backend.name).toBe("wasm");
    expect(getBackend()!.skipped).toEqual([
      { backend: "wasm-threads", reason: "loading failed: Memory could not be cloned" },
    ]);
  });

  test("a thread pool that never starts is given up on after the timeout", async () => {
    jest.useFakeTimers();
    try {
      const pending = selectBackend("auto", isolated, {
        threads: () => new Promise(() => undefined),
        single: async () => fakeWasm(1),
      });
      await jest.advanceTimersByTimeAsync(BACKEND_LOAD_TIMEOUT_MS + 1);
      const backend = await pending;
      expect(backend.name).toBe("wasm");
      expect(getBackend()!.skipped[0].reason).toMatch(/did not start within 20 s/);
    } finally {
      jest.useRealTimers();
    }
  });

  test("a forced backend that cannot run is an error naming the reason, not a silent fallback", async () => {
    await expect(
      selectBackend("wasm-threads", { ...isolated, crossOriginIsolated: false }, { threads: async () => fakeWasm(2) }),
    ).rejects.toThrow(BackendUnavailableError);
    await expect(selectBackend("wasm", isolated, {})).rejects.toThrow(
      /wasm engine was requested but cannot run here: no single-threaded build/,
    );
  });

  test("forcing a slower backend records the faster ones as skipped because of the force", async () => {
    const backend = await selectBackend("ts", isolated, {
      threads: async () => fakeWasm(2),
      single: async () => fakeWasm(1),
    });
    expect(backend.name).toBe("ts");
    expect(getBackend()!.skipped).toEqual([
      { backend: "wasm-threads", reason: "the ts engine was forced" },
      { backend: "wasm", reason: "the ts engine was forced" },
    ]);
  });
});
