// What the advisor's user types and reads, shared by `rim advise` and the task pane so both say the same: the
// caps list (`1.5,2,3`) and the design-effect budget's answer in words. Pure: no Excel API, no DOM, no Node.
import type { Advice } from "../engine/contract";
import { PLAIN_NUMBER } from "./cells";

/** The caps swept when none are given: from gentle to loose trimming. */
export const DEFAULT_CAPS = [1.5, 2, 3, 4, 5, 8];

/** A caps list, or the part that is not a cap ("" when the list names none). */
export type CapsParse = { ok: true; caps: number[] } | { ok: false; part: string };

/** Comma-separated caps, each a plain number of at least 1 (a multiple of the mean weight), in the order given. */
export function parseCaps(text: string): CapsParse {
  const parts = text.split(",").map((part) => part.trim());
  if (parts.every((p) => p === "")) return { ok: false, part: "" };
  const caps: number[] = [];
  for (const part of parts) {
    const cap = PLAIN_NUMBER.test(part) ? Number(part) : Number.NaN;
    if (!(cap >= 1) || !Number.isFinite(cap)) return { ok: false, part };
    caps.push(cap);
  }
  return { ok: true, caps };
}

/** Why a caps list was refused, after the name of the field or flag and a colon. */
export function describeCapsError(part: string): string {
  return part === ""
    ? "no cap is given"
    : `'${part}' is not a cap; each must be a number of at least 1 (times the mean weight)`;
}

/** The budget's question and its answer: the loosest cap within it and what it leaves on the targets. */
export function describeBudget(
  budget: NonNullable<Advice["budget"]>,
  tolerance: number,
): { question: string; answer: string } {
  const what =
    budget.kind === "maxDeff" ? `design effect at most ${budget.limit}` : `efficiency at least ${budget.limit}%`;
  const question = `budget: ${what} (${budget.tried.length} caps raked)`;
  const run = budget.run;
  if (budget.outcome === "none" || run === null)
    return { question, answer: "no cap keeps within it, not even 1 (every weight at the mean)." };
  const effect = `design effect ${run.deff.toFixed(3)}, efficiency ${run.efficiencyPct.toFixed(2)}%`;
  if (budget.outcome === "uncapped")
    return { question, answer: `no cap needed: the run without a cap is within it (${effect}).` };
  const cap = Number(run.capMax!.toPrecision(4));
  const residual = run.maxResidual.toExponential(2);
  if (run.status === "converged")
    return {
      question,
      answer: `loosest cap within it: ${cap} (${effect}); the targets hold (${run.status}, max residual ${residual}).`,
    };
  return {
    question,
    answer:
      `no cap within it holds the targets (tolerance ${tolerance}): the loosest cap within it, ${cap} ` +
      `(${effect}), ${run.status} with max residual ${residual} ` +
      `(${(100 * run.maxResidual).toFixed(2)} percentage points off a target).`,
  };
}
