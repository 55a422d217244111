// The fake Excel host as one classic script for page.addInitScript (bundled by harness.mjs into
// .cache/fake-host.js): runs in every frame before the page's own scripts, installs Office, Excel,
// OfficeExtension and CustomFunctions on window, seeds the sample workbook when asked, and leaves the test
// handle on window.__rimFake. Options come from window.__rimFakeHostOptions (set by an earlier init script).
import { createFakeHost, type FakeHost } from "../fake-excel";
import { seedSample, type SampleOptions } from "../../playground/sample";

interface FakeHostScriptOptions {
  mode?: "web" | "desktop";
  /** seed the sample survey (Survey + Targets sheets) */
  seed?: SampleOptions | null;
  /** only in frames whose URL contains this (default: every frame) */
  onlyUrlContaining?: string;
}

declare global {
  interface Window {
    __rimFakeHostOptions?: FakeHostScriptOptions;
    __rimFake?: FakeHost;
  }
}

function installFakeHost(): void {
  const options = window.__rimFakeHostOptions ?? {};
  if (options.onlyUrlContaining && !location.href.includes(options.onlyUrlContaining)) return;
  if (window.__rimFake) return;
  const host = createFakeHost({ mode: options.mode ?? "web" });
  host.install(window);
  if (options.seed) seedSample(host.workbook, options.seed);
  window.__rimFake = host;
}

installFakeHost();
