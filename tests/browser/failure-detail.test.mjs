// The detail a failed browser test adds (the pane's messages, the requests the host refused, the browser log)
// must reach the test report. Node's reporter prints an error's stack, which an AssertionError fixes when it is
// made and Playwright rewrites: harness.mjs's withDetail puts the detail there. Checked on the report of a
// child `node --test` run, as the browser suite's runner prints it. Needs no browser and no dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, tmpDir } from "./harness.mjs";

const HARNESS = pathToFileURL(path.join(ROOT, "tests", "browser", "harness.mjs")).href;

/** Failing tests, each adding a detail to a different kind of error. */
const FIXTURE = `import { test } from "node:test";
import assert from "node:assert/strict";
import { withDetail } from ${JSON.stringify(HARNESS)};

test("an assertion", () => {
  try {
    assert.equal(1, 2, "the first value");
  } catch (e) {
    throw withDetail(e, "\\nDETAIL-OF-AN-ASSERTION");
  }
});

test("an error whose stack was set, as Playwright sets it", () => {
  const e = new Error("locator.waitFor: Timeout 10ms exceeded.");
  e.stack = "TimeoutError: locator.waitFor: Timeout 10ms exceeded.\\n    at pressAndAwait (pane.mjs:1:1)";
  throw withDetail(e, "\\nDETAIL-OF-A-PLAYWRIGHT-ERROR");
});
`;

test("withDetail: the detail reaches the test report, after the message and before the stack frames", () => {
  const dir = tmpDir("rim-failure-detail-");
  try {
    const file = path.join(dir, "fixture.test.mjs");
    fs.writeFileSync(file, FIXTURE);
    // Without NODE_TEST_CONTEXT, which this runner sets: the child reports as a top-level run would.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const run = spawnSync(process.execPath, ["--test", "--test-reporter=spec", file], {
      cwd: ROOT,
      encoding: "utf8",
      env,
    });
    const report = run.stdout + run.stderr;
    assert.notEqual(run.status, 0, "the fixture's tests fail");
    const assertion = report.indexOf("DETAIL-OF-AN-ASSERTION");
    assert.ok(assertion >= 0, `the assertion's detail is missing from the report:\n${report}`);
    assert.ok(report.indexOf("the first value") < assertion, "the assertion's own message comes first");
    assert.match(report.slice(assertion), /^DETAIL-OF-AN-ASSERTION\n\s+at /m, "the stack frames follow the detail");
    const playwright = report.indexOf("DETAIL-OF-A-PLAYWRIGHT-ERROR");
    assert.ok(playwright >= 0, `the Playwright error's detail is missing from the report:\n${report}`);
    assert.ok(report.indexOf("Timeout 10ms exceeded") < playwright);
    assert.match(report.slice(playwright), /^DETAIL-OF-A-PLAYWRIGHT-ERROR\n\s+at pressAndAwait/m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
