/** Base for collections whose `items` become available after load + sync. */
import { ClientObject, ClientResult, SyncTally, parseLoadOption, queueResult, type LoadOption } from "./client-object";
import { MESSAGES, officeError } from "./errors";
import { jsonSize } from "./limits";

export abstract class CollectionBase<T extends ClientObject, M> extends ClientObject {
  /** @internal */ _items: T[] | undefined = undefined;
  /** @internal list the model objects (inside sync) */
  abstract _list(): M[];
  /** @internal a proxy bound to one model object */
  abstract _wrap(m: M): T;
  /** @internal scalar properties of an item */
  abstract get _itemProps(): readonly string[];

  get _scalarProps(): readonly string[] {
    return ["items"];
  }
  _snapshot(): Record<string, unknown> {
    return {};
  }

  get items(): T[] {
    if (!this._items)
      throw officeError("PropertyNotLoaded", MESSAGES.propertyNotLoaded("items"), `${this._typeName}.items`);
    return this._items;
  }

  getCount(): ClientResult<number> {
    return queueResult(this, "getCount", () => this._list().length);
  }

  override load(option?: LoadOption): this {
    this._use();
    const { props, nav } = parseLoadOption(option);
    let itemProps = props.filter((p) => p !== "items");
    for (const [head, rest] of nav) {
      if (head === "items") itemProps.push(...rest);
      else itemProps.push(`${head}/${rest[0]}`);
    }
    const bad = itemProps.find((p) => !this._itemProps.includes(p));
    if (bad) {
      this._queueBadProp(bad);
      return this;
    }
    if (itemProps.length === 0) itemProps = [...this._itemProps];
    this._ctx._enqueue({
      label: `${this._typeName}.load`,
      kind: "load",
      requestBytes: 0,
      run: (tally: SyncTally) => {
        const items = this._list().map((m) => this._wrap(m));
        const data = items.map((it) => it._snapshot(itemProps, tally));
        return {
          bytes: jsonSize(data),
          apply: () => {
            items.forEach((it, i) => {
              it._isNull = false;
              Object.assign(it._loaded, data[i]);
            });
            this._items = items;
            this._isNull = false;
          },
        };
      },
    });
    return this;
  }

  override toJSON(): Record<string, unknown> {
    return { items: (this._items ?? []).map((i) => i.toJSON()) };
  }
}
