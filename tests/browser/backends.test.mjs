// The backend matrix in Debian's Chromium, against the production build in dist/ served with the production
// headers: which engine the real engine client selects on an isolated page, a non-isolated page, a browser
// without WebAssembly, and inside a cross-site iframe of a non-isolated page (Excel on the web's shape), and
// that the threaded wasm, the single wasm and the TS engine give the same whole result (every field; numbers
// to 1e-12 relative, as tests/engine/compare-results.ts compares them). The task pane pages load Microsoft's
// Excel client library answered by the host emulator (tests/host); =RIM.BACKEND() is called through the
// emulator's custom-functions shim.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  assertDistBuilt,
  launchBrowser,
  newContext,
  startServer,
  viaLocalhost,
  TIMEOUT,
  withDetail,
} from "./harness.mjs";
import { describeFailure, refusedRequests } from "./pane.mjs";

const REL_TOLERANCE = 1e-12;
const NO_WASM_FLAG = "--js-flags=--jitless";
const THREADS = 2;
/** The hooks page: the playground without pane and grid (window.rimPlayground.engineHooks()). */
const HOOKS_PAGE = "playground.html?engine-only&n=10";
const OUTER_PAGE = "/__harness/outer.html";
const OUTER_HTML = `<!doctype html><title>Office on the web stand-in (not isolated)</title>
<p>outer page</p><iframe id="pane" width="400" height="600"></iframe>`;

let browser;
let isolated; // production headers
let plain; // the same files without DIP/COOP/COEP, and the outer page
let framable; // production headers; CSP frame-ancestors also allows the outer page's origin
let coopCoepOnly; // COOP + COEP without DIP, framable too

before(async () => {
  assertDistBuilt();
  isolated = await startServer();
  plain = await startServer({ isolation: "none", pages: { [OUTER_PAGE]: OUTER_HTML } });
  const outerOrigin = viaLocalhost(plain.url).replace(/\/$/, "");
  framable = await startServer({ frameAncestors: [outerOrigin] });
  coopCoepOnly = await startServer({ isolation: "coop-coep", frameAncestors: [outerOrigin] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await Promise.all([isolated, plain, framable, coopCoepOnly].map((s) => s?.close()));
});

async function openHooks(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.rimPlayground !== undefined, null, { timeout: TIMEOUT });
  return page;
}

/** In a page or frame that runs the hooks: backend info for an engine setup. */
function backendInfo(target, setup) {
  return target.evaluate(async (s) => (await window.rimPlayground.engineHooks()).backendInfo(s), setup);
}

function parity(target, setups, cases) {
  return target.evaluate(
    async ({ setups, cases }) => {
      const hooks = await window.rimPlayground.engineHooks();
      return hooks.parity(setups, cases ?? hooks.PARITY_CASES);
    },
    { setups, cases },
  );
}

/**
 * =RIM.BACKEND() of the shared runtime in a task pane page (or frame) on Microsoft's client library and the
 * host emulator, called through the emulator's custom-functions shim (tests/host/README.md).
 */
async function paneBackend(target) {
  await target.waitForFunction(() => window.__rimHost?.functions.ids().includes("BACKEND"), null, {
    timeout: TIMEOUT,
  });
  const outcome = await target.evaluate(() => window.__rimHost.functions.invoke("BACKEND", []));
  assert.equal(outcome.error, undefined, `=RIM.BACKEND() failed: ${JSON.stringify(outcome)}`);
  assert.deepEqual(await refusedRequests(target), [], "the host refused none of the pane's requests");
  return String(outcome.value);
}

function isolationOf(target) {
  return target.evaluate(() => ({
    crossOriginIsolated: self.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === "function",
    webAssembly: typeof WebAssembly === "object",
  }));
}

const ONE_PROBLEM = [
  {
    name: "large, groups, caps",
    seed: 101,
    options: { n: 20000, groups: 2, caps: { max: 2 }, baseWeights: "varying" },
  },
];

function assertSameWeights(outcomes, expectedBackends) {
  for (const o of outcomes) {
    o.runs.forEach((run, k) => {
      assert.equal(run.error, undefined, `${o.name}: ${expectedBackends[k]} failed: ${run.error}`);
      assert.equal(run.backend, expectedBackends[k], `${o.name}: run ${k} used ${run.backend}`);
      assert.ok(
        run.maxRelDiff <= REL_TOLERANCE,
        `${o.name}: ${run.backend} weights differ from ${expectedBackends[0]} by ${run.maxRelDiff} (relative)`,
      );
      // the whole result, every field (tests/engine/compare-results.ts), not only the weights
      assert.deepEqual(run.differences, [], `${o.name}: ${run.backend} result differs from ${expectedBackends[0]}`);
      assert.equal(
        run.status,
        o.runs[0].status,
        `${o.name}: ${run.backend} status ${run.status} vs ${o.runs[0].status}`,
      );
      assert.equal(
        run.iterations,
        o.runs[0].iterations,
        `${o.name}: ${run.backend} iterations ${run.iterations} vs ${o.runs[0].iterations}`,
      );
    });
  }
}

/** Advisor problems: grouped with base weights and a cap, and one with a lower cap, missing and crossed. */
const ADVISE_CASES = [
  {
    name: "advise: groups, base weights, cap",
    seed: 111,
    options: { n: 3000, groups: 2, caps: { max: 3 }, baseWeights: "varying" },
  },
  {
    name: "advise: min cap, missing, crossed",
    seed: 112,
    options: { n: 2000, caps: { min: 0.5 }, missing: true, crossed: true },
  },
];

describe("the weighting advisor", () => {
  test("TS, single wasm and threaded wasm give the same advice through the worker, with progress", async () => {
    const context = await newContext(browser);
    try {
      const page = await openHooks(context, `${isolated.url}${HOOKS_PAGE}&threads=${THREADS}`);
      const outcomes = await page.evaluate(
        async ({ threads, cases }) => {
          const hooks = await window.rimPlayground.engineHooks();
          return hooks.adviseParity(
            [{ preference: "ts" }, { preference: "wasm" }, { preference: "wasm-threads", poolThreads: threads }],
            cases,
            { caps: [1.5, 2, 4], budget: { maxDeff: 1.1 } },
          );
        },
        { threads: THREADS, cases: ADVISE_CASES },
      );
      const expected = ["ts", "wasm", "wasm-threads"];
      for (const o of outcomes) {
        o.runs.forEach((run, k) => {
          assert.equal(run.error, undefined, `${o.name}: ${expected[k]} failed: ${run.error}`);
          assert.equal(run.backend, expected[k]);
          assert.ok(run.maxDiff <= REL_TOLERANCE, `${o.name}: ${run.backend} advice differs by ${run.maxDiff}`);
          assert.ok(run.progressMessages > 0, `${o.name}: ${run.backend} sent no progress`);
          assert.equal(run.lastDone, run.runs, `${o.name}: ${run.backend} progress ended at ${run.lastDone}`);
        });
        assert.equal(o.runs[2].threads, THREADS);
      }
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
    }
  });
});

describe("backend selection", () => {
  test("a cross-origin isolated page runs wasm-threads (?threads=2), with the single build's weights", async () => {
    const context = await newContext(browser);
    try {
      const page = await openHooks(context, `${isolated.url}${HOOKS_PAGE}&threads=${THREADS}`);
      assert.deepEqual(await isolationOf(page), {
        crossOriginIsolated: true,
        sharedArrayBuffer: true,
        webAssembly: true,
      });
      const info = await backendInfo(page, { preference: "auto", poolThreads: THREADS });
      assert.equal(info.backend, "wasm-threads", JSON.stringify(info));
      assert.equal(info.threads, THREADS);
      assert.deepEqual(info.skipped, []);
      // the page's shared runtime (?threads=2 on the URL), as =RIM.BACKEND() reports it
      assert.equal(await page.evaluate(() => window.rimPlayground.backend()), `wasm-threads (${THREADS} threads)`);
      const outcomes = await parity(
        page,
        [{ preference: "wasm" }, { preference: "wasm-threads", poolThreads: THREADS }],
        ONE_PROBLEM,
      );
      assertSameWeights(outcomes, ["wasm", "wasm-threads"]);
      assert.equal(outcomes[0].runs[1].threads, THREADS);
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
    }
  });

  test("the task pane page, top level with the production headers, gets wasm-threads", async () => {
    const context = await newContext(browser, { excelHost: { flavour: "desktop" } });
    try {
      const page = await context.newPage();
      await page.goto(`${isolated.url}taskpane.html?threads=${THREADS}`);
      assert.equal((await isolationOf(page)).crossOriginIsolated, true);
      assert.equal(await paneBackend(page), `wasm-threads (${THREADS} threads)`);
      assert.ok(
        context.rimOfficeRequests.some((u) => u.endsWith("/excel-win32-16.01.js")),
        "taskpane.html loads office.js, which loads Microsoft's desktop Excel library",
      );
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
    }
  });

  test("a page without the isolation headers falls back to wasm and says why", async () => {
    const context = await newContext(browser, { excelHost: { flavour: "web" } });
    try {
      const page = await openHooks(context, `${plain.url}${HOOKS_PAGE}`);
      assert.deepEqual(await isolationOf(page), {
        crossOriginIsolated: false,
        sharedArrayBuffer: false,
        webAssembly: true,
      });
      const info = await backendInfo(page, { preference: "auto", poolThreads: THREADS });
      assert.equal(info.backend, "wasm", JSON.stringify(info));
      assert.equal(info.threads, 1);
      assert.equal(info.skipped.length, 1);
      assert.equal(info.skipped[0].backend, "wasm-threads");
      assert.match(info.skipped[0].reason, /cross-origin isolated/i);
      // forcing threads here is refused with the reason, not silently downgraded
      const forced = await page.evaluate(async () => {
        const hooks = await window.rimPlayground.engineHooks();
        try {
          return { info: await hooks.backendInfo({ preference: "wasm-threads" }) };
        } catch (e) {
          return { error: String(e && e.message) };
        }
      });
      assert.match(forced.error ?? "", /cross-origin isolated/i, JSON.stringify(forced));

      const pane = await context.newPage();
      await pane.goto(`${plain.url}taskpane.html`);
      const text = await paneBackend(pane);
      assert.match(text, /^wasm — wasm-threads skipped: .*cross-origin isolated/i, text);
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
    }
  });

  // Seen in Chromium 156: --js-flags=--noexpose_wasm (or --no-expose-wasm) no longer hides WebAssembly (Blink
  // installs it anyway); --js-flags=--jitless does, in pages and workers (no JIT, so no WebAssembly).
  test("without WebAssembly (--js-flags=--jitless) the TS engine runs", async () => {
    const noWasm = await launchBrowser({ extraArgs: [NO_WASM_FLAG] });
    const context = await newContext(noWasm, { excelHost: { flavour: "web" } });
    try {
      const page = await openHooks(context, `${isolated.url}${HOOKS_PAGE}`);
      assert.deepEqual(await isolationOf(page), {
        crossOriginIsolated: true,
        sharedArrayBuffer: true,
        webAssembly: false,
      });
      const info = await backendInfo(page, { preference: "auto", poolThreads: THREADS });
      assert.equal(info.backend, "ts", JSON.stringify(info));
      assert.deepEqual(
        info.skipped.map((s) => s.backend),
        ["wasm-threads", "wasm"],
      );
      for (const s of info.skipped) assert.match(s.reason, /WebAssembly/);
      const outcomes = await parity(page, [{ preference: "ts" }], ONE_PROBLEM);
      assert.equal(outcomes[0].runs[0].error, undefined, outcomes[0].runs[0].error);
      assert.equal(outcomes[0].runs[0].backend, "ts");

      const pane = await context.newPage();
      await pane.goto(`${isolated.url}taskpane.html`);
      assert.match(await paneBackend(pane), /^ts — wasm-threads skipped: WebAssembly .*; wasm skipped: WebAssembly /);
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
      await noWasm.close();
    }
  });
});

describe("Excel on the web's shape: the pane in a cross-site iframe of a non-isolated page", () => {
  /** Opens the outer page (http://localhost:…, not isolated) and puts `src` (http://127.0.0.1:…) in its iframe. */
  async function framed(context, src) {
    const page = await context.newPage();
    await page.goto(`${viaLocalhost(plain.url)}${OUTER_PAGE.slice(1)}`);
    await page.evaluate(
      (url) =>
        new Promise((resolve, reject) => {
          const frame = document.getElementById("pane");
          frame.onload = () => resolve();
          frame.onerror = () => reject(new Error("the frame failed to load"));
          frame.src = url;
        }),
      src,
    );
    const frame = page.frames().find((f) => f.url() === src);
    assert.ok(
      frame,
      `no frame with ${src}; frames: ${page
        .frames()
        .map((f) => f.url())
        .join(", ")}`,
    );
    return { page, frame };
  }

  // Observed in Chromium 156 (DESIGN.md §3): Document-Isolation-Policy isolates the frame although its parent
  // is not isolated. If this fails after a Chromium update, the behaviour changed: re-check DESIGN.md §3.
  test("with Document-Isolation-Policy the frame is crossOriginIsolated and runs wasm-threads", async () => {
    const context = await newContext(browser, { excelHost: { flavour: "web" } });
    try {
      const src = `${framable.url}taskpane.html?threads=${THREADS}`;
      const { page, frame } = await framed(context, src);
      assert.equal((await isolationOf(page)).crossOriginIsolated, false, "the outer page must not be isolated");
      assert.notEqual(new URL(page.url()).hostname, new URL(src).hostname, "the frame must be cross-site");
      const observed = await isolationOf(frame);
      console.log(`# DIP iframe in Chromium ${browser.version()}: ${JSON.stringify(observed)}`);
      assert.deepEqual(observed, { crossOriginIsolated: true, sharedArrayBuffer: true, webAssembly: true });
      const text = await paneBackend(frame);
      console.log(`# DIP iframe: =RIM.BACKEND() → ${text}`);
      assert.equal(text, `wasm-threads (${THREADS} threads)`);

      // the same frame shape with the engine hooks: threads give the single build's weights there too
      const hooks = await framed(context, `${framable.url}${HOOKS_PAGE}`);
      await hooks.frame.waitForFunction(() => window.rimPlayground !== undefined, null, { timeout: TIMEOUT });
      const outcomes = await parity(
        hooks.frame,
        [{ preference: "wasm" }, { preference: "wasm-threads", poolThreads: THREADS }],
        ONE_PROBLEM,
      );
      assertSameWeights(outcomes, ["wasm", "wasm-threads"]);
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
    }
  });

  test("with COOP + COEP only (no DIP) the frame is not isolated and falls back to wasm", async () => {
    const context = await newContext(browser, { excelHost: { flavour: "web" } });
    try {
      const { frame } = await framed(context, `${coopCoepOnly.url}taskpane.html?threads=${THREADS}`);
      const observed = await isolationOf(frame);
      console.log(`# COOP+COEP iframe in Chromium ${browser.version()}: ${JSON.stringify(observed)}`);
      assert.deepEqual(observed, { crossOriginIsolated: false, sharedArrayBuffer: false, webAssembly: true });
      assert.match(await paneBackend(frame), /^wasm — wasm-threads skipped: .*cross-origin isolated/i);
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
    }
  });
});

describe("parity in the browser", () => {
  test("wasm-threads, wasm and ts give the same whole result on ≥ 20 generated problems", async () => {
    const context = await newContext(browser);
    try {
      const page = await openHooks(context, `${isolated.url}${HOOKS_PAGE}`);
      const cases = await page.evaluate(async () => (await window.rimPlayground.engineHooks()).PARITY_CASES.length);
      assert.ok(cases >= 20, `only ${cases} parity cases`);
      const outcomes = await parity(page, [
        { preference: "wasm" },
        { preference: "wasm-threads", poolThreads: THREADS },
        { preference: "ts" },
      ]);
      assert.equal(outcomes.length, cases);
      for (const o of outcomes) {
        const worst = Math.max(...o.runs.map((r) => r.maxRelDiff));
        console.log(
          `# parity ${o.name.padEnd(40)} n=${String(o.n).padStart(6)} ${o.runs[0].status} ${o.runs[0].iterations} passes, max rel diff ${worst.toExponential(2)}`,
        );
      }
      assertSameWeights(outcomes, ["wasm", "wasm-threads", "ts"]);
      // Both builds are the same Rust on the same fixed chunks; the threaded one clips under caps with wasm SIMD
      // (kernels.rs clip_pairs), whose comparisons are the scalar loop's: the weights must match bit for bit.
      for (const o of outcomes) assert.equal(o.runs[1].maxRelDiff, 0, `${o.name}: wasm-threads ≠ wasm bit for bit`);
    } catch (e) {
      throw withDetail(e, await describeFailure(context));
    } finally {
      await context.close();
    }
  });
});
