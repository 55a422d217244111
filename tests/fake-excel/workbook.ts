/** Excel.Workbook and Excel.Application proxies. */
import { ClientObject, ContextLike } from "./client-object";
import { officeError } from "./errors";
import { TableCollection } from "./objects";
import { Range } from "./range";
import { WorksheetCollection } from "./worksheet";

const CALC_MODES = ["Automatic", "AutomaticExceptTables", "Manual"];

export class Application extends ClientObject {
  constructor(ctx: ContextLike) {
    super(ctx);
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "Application";
  }
  get _scalarProps() {
    return ["calculationMode", "calculationState"];
  }
  _snapshot(props: readonly string[]): Record<string, unknown> {
    const wb = this._ctx._host.model;
    const out: Record<string, unknown> = {};
    for (const p of props) out[p] = p === "calculationMode" ? wb.calculationMode : "Done";
    return out;
  }
  get calculationMode(): string {
    return this._get("calculationMode");
  }
  set calculationMode(mode: string) {
    this._setProp("calculationMode", mode, () => {
      if (!CALC_MODES.includes(mode))
        throw officeError(
          "InvalidArgument",
          `The argument is invalid or missing or has an incorrect format. (calculationMode '${mode}')`,
          "Application.calculationMode",
        );
      const wb = this._ctx._host.model;
      wb.setField(wb, "calculationMode", mode);
    });
  }
  get calculationState(): string {
    return this._get("calculationState");
  }
  suspendApiCalculationUntilNextSync(): void {
    this._action("suspendApiCalculationUntilNextSync", (tally) => {
      tally.calculationSuspends++;
      tally.calculationSuspended = true;
    });
  }
  suspendScreenUpdatingUntilNextSync(): void {
    this._action("suspendScreenUpdatingUntilNextSync", () => undefined);
  }
  calculate(calculationType: string = "Recalculate"): void {
    this._action("calculate", () => {
      if (!["Recalculate", "Full", "FullRebuild"].includes(calculationType))
        throw officeError("InvalidArgument", undefined, "Application.calculate");
    });
  }
}

export class Workbook extends ClientObject {
  readonly worksheets: WorksheetCollection;
  readonly tables: TableCollection;
  readonly application: Application;
  constructor(ctx: ContextLike) {
    super(ctx);
    this.worksheets = new WorksheetCollection(ctx);
    this.tables = new TableCollection(ctx, null);
    this.application = new Application(ctx);
    Object.preventExtensions(this);
  }
  get _typeName() {
    return "Workbook";
  }
  get _scalarProps() {
    return ["name"];
  }
  _snapshot(): Record<string, unknown> {
    return { name: "Book1.xlsx" };
  }
  get name(): string {
    return this._get("name");
  }

  /** The selection set through the test handle (default: A1 of the active sheet). */
  getSelectedRange(): Range {
    this._use();
    return new Range(this._ctx, () => this._ctx._host.model.selectionOrDefault());
  }

  getActiveCell(): Range {
    this._use();
    return new Range(this._ctx, () => {
      const { sheet, rect } = this._ctx._host.model.selectionOrDefault();
      return { sheet, rect: { r0: rect.r0, c0: rect.c0, r1: rect.r0, c1: rect.c0 } };
    });
  }
}
