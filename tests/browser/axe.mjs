// axe-core (npm, pinned) run inside the page: the pane's accessibility violations of serious or critical
// impact, each as "rule-id (impact): target selectors", so a failing assertion says what to fix.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const AXE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "node_modules/axe-core/axe.min.js");

/**
 * Fluent UI's focus manager (tabster) puts `<i tabindex="0" aria-hidden="true" data-tabster-dummy>` sentinels
 * around focus groups on purpose: they only hand the focus on, and announcing them would confuse screen
 * readers. axe's aria-hidden-focus rule flags them; tabster's maintainers call it intended
 * (microsoft/tabster#288) and Accessibility Insights suppresses exactly these nodes
 * (microsoft/accessibility-insights-web#7605). Every other node of that rule still counts.
 */
function isTabsterSentinel(rule, node) {
  return rule === "aria-hidden-focus" && /^<i [^>]*data-tabster-dummy/.test(node.html);
}

export async function seriousViolations(page) {
  // evaluated through the debugging protocol: the pane's Content-Security-Policy refuses an injected <script>
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(fs.readFileSync(AXE, "utf8"));
  // colours are judged once Fluent's transitions have ended (a button just enabled is still fading in)
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isTabsterSentinel(v.id, n)) }))
    .filter((v) => v.nodes.length > 0)
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(" ")} ${n.html.slice(0, 160)} ${n.failureSummary}`).join(", ")}`,
    );
}
