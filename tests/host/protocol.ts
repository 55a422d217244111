// One ProcessQuery request → one response, as Excel evaluates it: actions run in order, each object path is
// resolved once (on first use: the client library instantiates paths lazily, listing them in an action's
// `L`), and the first failing action stops the batch with Body.Error (earlier actions stay applied; Excel's
// batches are not transactional). Knows the wire shapes and nothing of Excel's objects (object-model.ts).
import { invoke, navigate, query, rootObject, setProperty, type HostObject, type HostState } from "./object-model";
import {
  ActionType,
  HostFailure,
  ObjectPathType,
  fail,
  wireError,
  type ActionResult,
  type ArgumentInfo,
  type RequestBody,
  type ResponseBody,
  type WireAction,
} from "./wire";

/** Resolves object paths of one request, each once, in first-use order (method paths have side effects). */
class PathResolver {
  private readonly resolved = new Map<number, HostObject | null>();

  constructor(
    private readonly state: HostState,
    private readonly body: RequestBody,
  ) {}

  resolve(id: number): HostObject | null {
    if (this.resolved.has(id)) return this.resolved.get(id)!;
    const path = this.body.ObjectPaths[String(id)];
    if (!path) return fail("InvalidObjectPath", `The object path ${id} is not in the request.`, "ProcessQuery");
    let object: HostObject | null;
    if (path.ObjectPathType === ObjectPathType.globalObject) object = rootObject();
    else if (path.ParentObjectPathId === undefined)
      return fail("InvalidObjectPath", `The object path ${id} has no parent.`, "ProcessQuery");
    else {
      const parent = this.resolve(path.ParentObjectPathId);
      // A child of a null object (…OrNullObject) is a null object too.
      object = parent === null ? null : navigate(this.state, parent, path.Name, this.args(path.ArgumentInfo));
    }
    this.resolved.set(id, object);
    return object;
  }

  /** Arguments with client objects (ReferencedObjectPathIds ≠ 0) replaced by the objects they name. */
  args(info: ArgumentInfo | undefined): unknown[] {
    const args = info?.Arguments ?? [];
    const refs = info?.ReferencedObjectPathIds;
    if (!refs) return args;
    return args.map((a, i) => (refs[i] ? this.resolve(refs[i]) : a));
  }
}

function runAction(resolver: PathResolver, state: HostState, action: WireAction): ActionResult | null {
  for (const id of action.L ?? []) resolver.resolve(id);
  const object = resolver.resolve(action.ObjectPathId);
  switch (action.ActionType) {
    case ActionType.instantiate:
      return { ActionId: action.Id, Value: object === null ? null : {} };
    case ActionType.query:
      return { ActionId: action.Id, Value: object === null ? null : query(state, object, action.QueryInfo?.Select) };
    case ActionType.method: {
      if (object === null) return null;
      const value = invoke(state, object, action.Name, resolver.args(action.ArgumentInfo));
      return value === null ? null : { ActionId: action.Id, Value: value };
    }
    case ActionType.setProperty:
      if (object !== null) setProperty(state, object, action.Name, resolver.args(action.ArgumentInfo)[0]);
      return null;
    case ActionType.trace:
      return { ActionId: action.Id, Value: null };
    default:
      return fail("NotImplemented", `Action type ${action.ActionType} is not implemented.`, "ProcessQuery");
  }
}

export function processQuery(state: HostState, body: RequestBody): ResponseBody {
  const resolver = new PathResolver(state, body);
  const results: ActionResult[] = [];
  try {
    for (let i = 0; i < body.Actions.length; i++) {
      try {
        const result = runAction(resolver, state, body.Actions[i]);
        if (result) results.push(result);
      } catch (e) {
        if (e instanceof HostFailure) return { Results: results, Error: wireError(e.error, i) };
        throw e;
      }
    }
    return { Results: results };
  } finally {
    // suspendApiCalculationUntilNextSync lasts until the end of this sync.
    state.model.calculationSuspended = false;
  }
}
