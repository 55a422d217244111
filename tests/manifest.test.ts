/**
 * Offline checks of manifest.xml: what the add-in manifest schema (element order, formats, lengths) and Office
 * (resids, one shared runtime, https on one origin, the RIM namespace) require. No network, no dependency: a
 * minimal XML parser lives here. Every checker is also run on broken variants, so each one is shown to fail.
 * Also tests scripts/manifest-prod.js (the production URL rewrite).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const MANIFEST_PATH = path.join(ROOT, "manifest.xml");
const DEV_ORIGIN = "https://localhost:3000";
const TEMPLATE_GUID = "ca968be6-628b-4f14-ba3c-3e614effa9bd"; // the official template's Id: must not be reused

// ---------------------------------------------------------------------------------------------------------------
// Minimal XML parser: elements, attributes, text, comments, CDATA, processing instructions, the five entities and
// numeric character references. Enough for a manifest; throws on malformed input.
// ---------------------------------------------------------------------------------------------------------------
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  parent?: XmlNode;
}

function decodeEntities(s: string, where: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|&/g, (m, ent: string | undefined) => {
    if (!ent) throw new Error(`XML: bare "&" near offset ${where}`);
    if (ent[0] === "#") {
      const code = ent[1] === "x" ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return String.fromCodePoint(code);
    }
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (!(ent in named)) throw new Error(`XML: unknown entity ${m} near offset ${where}`);
    return named[ent];
  });
}

export function parseXml(src: string): XmlNode {
  const doc: XmlNode = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlNode[] = [doc];
  let i = 0;
  const nameRe = /^[A-Za-z_][\w.:-]*/;
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    const textEnd = lt === -1 ? src.length : lt;
    if (textEnd > i) {
      const text = src.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top === doc) {
        if (text.trim()) throw new Error(`XML: text outside the root element near offset ${i}`);
      } else {
        top.text += decodeEntities(text, i);
      }
      i = textEnd;
      continue;
    }
    if (src.startsWith("<!--", i)) {
      const end = src.indexOf("-->", i + 4);
      if (end === -1) throw new Error("XML: unterminated comment");
      if (src.slice(i + 4, end).includes("--")) throw new Error(`XML: "--" inside a comment near offset ${i}`);
      i = end + 3;
    } else if (src.startsWith("<![CDATA[", i)) {
      const end = src.indexOf("]]>", i);
      if (end === -1) throw new Error("XML: unterminated CDATA");
      if (stack.length === 1) throw new Error("XML: CDATA outside the root element");
      stack[stack.length - 1].text += src.slice(i + 9, end);
      i = end + 3;
    } else if (src.startsWith("<?", i)) {
      const end = src.indexOf("?>", i);
      if (end === -1) throw new Error("XML: unterminated processing instruction");
      i = end + 2;
    } else if (src.startsWith("<!", i)) {
      throw new Error(`XML: DOCTYPE/declarations not supported (offset ${i})`);
    } else if (src.startsWith("</", i)) {
      const end = src.indexOf(">", i);
      if (end === -1) throw new Error("XML: unterminated end tag");
      const name = src.slice(i + 2, end).trim();
      const top = stack.pop();
      if (!top || top === doc || top.name !== name) {
        throw new Error(
          `XML: </${name}> does not close <${top && top !== doc ? top.name : "(nothing)"}> (offset ${i})`,
        );
      }
      i = end + 1;
    } else {
      let j = i + 1;
      const m = nameRe.exec(src.slice(j));
      if (!m) throw new Error(`XML: bad tag name at offset ${i}`);
      const node: XmlNode = { name: m[0], attrs: {}, children: [], text: "" };
      j += m[0].length;
      let selfClosing = false;
      for (;;) {
        const ws = /^\s*/.exec(src.slice(j))![0];
        j += ws.length;
        if (src.startsWith("/>", j)) {
          selfClosing = true;
          j += 2;
          break;
        }
        if (src[j] === ">") {
          j += 1;
          break;
        }
        if (j >= src.length) throw new Error(`XML: unterminated tag <${node.name}>`);
        if (!ws) throw new Error(`XML: missing space before attribute in <${node.name}> (offset ${j})`);
        const am = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(src.slice(j));
        if (!am) throw new Error(`XML: bad attribute in <${node.name}> (offset ${j})`);
        if (am[1] in node.attrs) throw new Error(`XML: duplicate attribute ${am[1]} in <${node.name}>`);
        node.attrs[am[1]] = decodeEntities(am[3] !== undefined ? am[3] : am[4], j);
        j += am[0].length;
      }
      const parent = stack[stack.length - 1];
      if (parent === doc && doc.children.length > 0) throw new Error("XML: more than one root element");
      node.parent = parent;
      parent.children.push(node);
      if (!selfClosing) stack.push(node);
      i = j;
    }
  }
  if (stack.length !== 1) throw new Error(`XML: <${stack[stack.length - 1].name}> is not closed`);
  if (doc.children.length !== 1) throw new Error("XML: no root element");
  return doc.children[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------
const xsiType = (n: XmlNode) => n.attrs["xsi:type"];

function walk(n: XmlNode, visit: (n: XmlNode) => void): void {
  visit(n);
  n.children.forEach((c) => walk(c, visit));
}
function findAll(root: XmlNode, pred: (n: XmlNode) => boolean): XmlNode[] {
  const out: XmlNode[] = [];
  walk(root, (n) => {
    if (pred(n)) out.push(n);
  });
  return out;
}
const byName = (root: XmlNode, name: string) => findAll(root, (n) => n.name === name);
function child(n: XmlNode | undefined, name: string): XmlNode | undefined {
  return n ? n.children.find((c) => c.name === name) : undefined;
}
function pathOf(n: XmlNode): string {
  const parts: string[] = [];
  for (let p: XmlNode | undefined = n; p && p.name !== "#document"; p = p.parent) parts.unshift(p.name);
  return parts.join("/");
}

/** All resources: id → { kind, value }. */
function resources(root: XmlNode): Map<string, { kind: string; value: string }> {
  const out = new Map<string, { kind: string; value: string }>();
  const res = child(child(root, "VersionOverrides"), "Resources");
  for (const group of res ? res.children : []) {
    for (const r of group.children) out.set(r.attrs.id, { kind: group.name, value: r.attrs.DefaultValue });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Checkers: each returns a list of problems (empty = fine)
// ---------------------------------------------------------------------------------------------------------------

/** Child element order (xs:sequence) per parent; key is the element name, or name[xsi:type]. */
export const CHILD_ORDER: Record<string, { order: string[]; required?: string[] }> = {
  OfficeApp: {
    order: [
      "Id",
      "AlternateId",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "AppDomains",
      "Hosts",
      "Requirements",
      "DefaultSettings",
      "Permissions",
      "Dictionary",
      "VersionOverrides",
    ],
    required: [
      "Id",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "Hosts",
      "DefaultSettings",
      "Permissions",
      "VersionOverrides",
    ],
  },
  Requirements: { order: ["Sets", "Methods"] },
  Sets: { order: ["Set"], required: ["Set"] },
  Hosts: { order: ["Host"], required: ["Host"] },
  DefaultSettings: { order: ["SourceLocation", "RequestedWidth", "RequestedHeight"], required: ["SourceLocation"] },
  VersionOverrides: {
    order: [
      "Description",
      "Requirements",
      "Hosts",
      "Resources",
      "VersionOverrides",
      "WebApplicationInfo",
      "EquivalentAddins",
    ],
    required: ["Hosts", "Resources"],
  },
  "Host[Workbook]": { order: ["Runtimes", "AllFormFactors", "DesktopFormFactor", "MobileFormFactor"] },
  Runtimes: { order: ["Runtime"], required: ["Runtime"] },
  AllFormFactors: { order: ["ExtensionPoint"], required: ["ExtensionPoint"] },
  "ExtensionPoint[CustomFunctions]": {
    order: ["Script", "Page", "Metadata", "Namespace"],
    required: ["Script", "Page", "Metadata", "Namespace"],
  },
  Script: { order: ["SourceLocation"], required: ["SourceLocation"] },
  Page: { order: ["SourceLocation"], required: ["SourceLocation"] },
  Metadata: { order: ["SourceLocation"], required: ["SourceLocation"] },
  DesktopFormFactor: {
    order: ["GetStarted", "FunctionFile", "ExtensionPoint"],
    required: ["FunctionFile", "ExtensionPoint"],
  },
  GetStarted: { order: ["Title", "Description", "LearnMoreUrl"], required: ["Title", "Description", "LearnMoreUrl"] },
  "ExtensionPoint[PrimaryCommandSurface]": { order: ["OfficeTab", "CustomTab"] },
  OfficeTab: { order: ["Group"], required: ["Group"] },
  Group: { order: ["Label", "Icon", "Control"], required: ["Label", "Icon", "Control"] },
  Icon: { order: ["bt:Image"], required: ["bt:Image"] },
  "Control[Button]": {
    order: ["Label", "Supertip", "Icon", "Action"],
    required: ["Label", "Supertip", "Icon", "Action"],
  },
  Supertip: { order: ["Title", "Description"], required: ["Title", "Description"] },
  "Action[ShowTaskpane]": {
    order: ["TaskpaneId", "SourceLocation", "Title", "SupportsPinning"],
    required: ["SourceLocation"],
  },
  Resources: { order: ["bt:Images", "bt:Urls", "bt:ShortStrings", "bt:LongStrings"] },
  "bt:Images": { order: ["bt:Image"] },
  "bt:Urls": { order: ["bt:Url"] },
  "bt:ShortStrings": { order: ["bt:String"] },
  "bt:LongStrings": { order: ["bt:String"] },
};

function orderKey(n: XmlNode): string {
  const t = xsiType(n);
  return t && `${n.name}[${t}]` in CHILD_ORDER ? `${n.name}[${t}]` : n.name;
}

/** Children in schema order, no unknown children, required ones present; recursive over known parents. */
export function checkElementOrder(root: XmlNode): string[] {
  const problems: string[] = [];
  walk(root, (n) => {
    const rule = CHILD_ORDER[orderKey(n)];
    if (!rule) return;
    let last = -1;
    for (const c of n.children) {
      const idx = rule.order.indexOf(c.name);
      if (idx === -1) problems.push(`${pathOf(n)}: unexpected child <${c.name}>`);
      else if (idx < last) problems.push(`${pathOf(n)}: <${c.name}> must come before <${rule.order[last]}>`);
      else last = idx;
    }
    for (const r of rule.required || []) {
      if (!child(n, r)) problems.push(`${pathOf(n)}: missing <${r}>`);
    }
  });
  return problems;
}

/** Every resid is defined, of the right kind for where it is used; ids are unique; no unused resources. */
export function checkResids(root: XmlNode): string[] {
  const problems: string[] = [];
  const res = resources(root);
  const resNode = child(child(root, "VersionOverrides"), "Resources");
  const seen = new Set<string>();
  for (const group of resNode ? resNode.children : []) {
    for (const r of group.children) {
      if (!r.attrs.id) problems.push(`${pathOf(r)}: resource without id`);
      else if (seen.has(r.attrs.id)) problems.push(`duplicate resource id ${r.attrs.id}`);
      else seen.add(r.attrs.id);
      if (!r.attrs.DefaultValue) problems.push(`resource ${r.attrs.id}: empty DefaultValue`);
    }
  }
  const used = new Set<string>();
  for (const n of findAll(root, (x) => "resid" in x.attrs)) {
    const id = n.attrs.resid;
    used.add(id);
    const r = res.get(id);
    if (!r) {
      problems.push(`${pathOf(n)}: resid "${id}" is not defined in Resources`);
      continue;
    }
    const parent = n.parent ? n.parent.name : "";
    const expected =
      n.name === "bt:Image"
        ? "bt:Images"
        : n.name === "Runtime" || n.name === "SourceLocation" || n.name === "FunctionFile" || n.name === "LearnMoreUrl"
          ? "bt:Urls"
          : n.name === "Description" && (parent === "Supertip" || parent === "GetStarted")
            ? "bt:LongStrings"
            : n.name === "Label" || n.name === "Title" || n.name === "Namespace"
              ? "bt:ShortStrings"
              : undefined;
    if (expected && r.kind !== expected)
      problems.push(`${pathOf(n)}: resid "${id}" is in ${r.kind}, expected ${expected}`);
  }
  for (const id of res.keys()) if (!used.has(id)) problems.push(`resource "${id}" is never used`);
  return problems;
}

/** One shared runtime: Runtime, CustomFunctions Page, FunctionFile and the ShowTaskpane action name the same URL. */
export function checkSharedRuntime(root: XmlNode): string[] {
  const problems: string[] = [];
  const res = resources(root);
  const sets = byName(root, "Set").filter((s) => s.attrs.Name === "SharedRuntime");
  if (sets.length !== 1 || sets[0].attrs.MinVersion !== "1.1")
    problems.push("Requirements must name SharedRuntime 1.1");
  const runtimes = byName(root, "Runtime");
  if (runtimes.length !== 1) problems.push(`expected exactly one <Runtime>, found ${runtimes.length}`);
  const runtime = runtimes[0];
  if (runtime && runtime.attrs.lifetime !== "long") problems.push('<Runtime> must have lifetime="long"');
  const cf = findAll(root, (n) => n.name === "ExtensionPoint" && xsiType(n) === "CustomFunctions");
  if (cf.length !== 1) problems.push(`expected one CustomFunctions extension point, found ${cf.length}`);
  const pageRes = child(child(cf[0], "Page"), "SourceLocation")?.attrs.resid;
  const functionFile = byName(root, "FunctionFile")[0]?.attrs.resid;
  const actions = findAll(root, (n) => n.name === "Action" && xsiType(n) === "ShowTaskpane");
  const ids: Array<[string, string | undefined]> = [
    ["Runtime", runtime?.attrs.resid],
    ["CustomFunctions Page", pageRes],
    ["FunctionFile", functionFile],
    ...actions.map((a): [string, string | undefined] => [
      "ShowTaskpane action",
      child(a, "SourceLocation")?.attrs.resid,
    ]),
  ];
  const first = ids[0][1];
  for (const [what, id] of ids) {
    if (!id) problems.push(`${what}: no resid`);
    else if (id !== first) problems.push(`${what} uses resid "${id}", the runtime uses "${first}"`);
  }
  // The add-in's start page (DefaultSettings) is that same URL.
  const defaultUrl = child(child(root, "DefaultSettings"), "SourceLocation")?.attrs.DefaultValue;
  const runtimeUrl = first ? res.get(first)?.value : undefined;
  if (!defaultUrl || defaultUrl !== runtimeUrl)
    problems.push(`DefaultSettings SourceLocation ${defaultUrl} differs from the runtime URL ${runtimeUrl}`);
  const script = child(child(cf[0], "Script"), "SourceLocation")?.attrs.resid;
  const meta = child(child(cf[0], "Metadata"), "SourceLocation")?.attrs.resid;
  if (script && !/\.js$/.test(res.get(script)?.value || "")) problems.push("CustomFunctions Script must be a .js URL");
  if (meta && !/\.json$/.test(res.get(meta)?.value || ""))
    problems.push("CustomFunctions Metadata must be a .json URL");
  return problems;
}

/** Every URL the manifest names, with where it comes from. */
export function manifestUrls(root: XmlNode): Array<{ where: string; url: string }> {
  const out: Array<{ where: string; url: string }> = [];
  walk(root, (n) => {
    const v = n.attrs.DefaultValue;
    const inUrls = n.parent && (n.parent.name === "bt:Urls" || n.parent.name === "bt:Images");
    if (
      v !== undefined &&
      (["IconUrl", "HighResolutionIconUrl", "SupportUrl", "SourceLocation"].includes(n.name) || inUrls)
    ) {
      out.push({ where: pathOf(n) + (n.attrs.id ? `#${n.attrs.id}` : ""), url: v });
    }
    if (n.name === "AppDomain") out.push({ where: pathOf(n), url: n.text.trim() });
  });
  return out;
}

/** All URLs are absolute https URLs on one origin. */
export function checkUrls(root: XmlNode, origin: string): string[] {
  const problems: string[] = [];
  const urls = manifestUrls(root);
  if (urls.length === 0) problems.push("no URLs found");
  for (const { where, url } of urls) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      problems.push(`${where}: not an absolute URL: ${url}`);
      continue;
    }
    if (u.protocol !== "https:") problems.push(`${where}: not https: ${url}`);
    if (u.origin !== origin) problems.push(`${where}: origin ${u.origin}, expected ${origin}`);
    if (url.length > 2048) problems.push(`${where}: URL longer than 2048 characters`);
  }
  return problems;
}

/** The custom functions namespace is RIM (letters, digits and periods only). */
export function checkNamespace(root: XmlNode, expected = "RIM"): string[] {
  const ns = byName(root, "Namespace")[0];
  if (!ns) return ["no <Namespace>"];
  const value = resources(root).get(ns.attrs.resid)?.value;
  const problems: string[] = [];
  if (!value || !/^[A-Za-z0-9.]+$/.test(value))
    problems.push(`namespace "${value}" must be letters, digits and periods`);
  if (value !== expected) problems.push(`namespace is "${value}", expected "${expected}"`);
  return problems;
}

/** Short strings ≤ 125, long strings ≤ 250; DisplayName ≤ 125, Description ≤ 250; ids ≤ 125. */
export function checkStringLengths(root: XmlNode): string[] {
  const problems: string[] = [];
  const limit = (where: string, value: string | undefined, max: number) => {
    if (value === undefined || value.length === 0) problems.push(`${where}: empty`);
    else if (value.length > max) problems.push(`${where}: ${value.length} characters, limit ${max}`);
  };
  for (const s of findAll(root, (n) => n.name === "bt:String")) {
    const max = s.parent?.name === "bt:LongStrings" ? 250 : 125;
    limit(`${s.parent?.name} ${s.attrs.id}`, s.attrs.DefaultValue, max);
  }
  limit("DisplayName", child(root, "DisplayName")?.attrs.DefaultValue, 125);
  limit("Description", child(root, "Description")?.attrs.DefaultValue, 250);
  limit("ProviderName", child(root, "ProviderName")?.text.trim(), 250);
  for (const n of findAll(root, (x) => (x.name === "Group" || x.name === "Control") && "id" in x.attrs)) {
    limit(`${n.name} id`, n.attrs.id, 125);
  }
  return problems;
}

/** Version n.n.n.n (each part 0..99999 without leading zeros); Id a GUID, not the template's. */
export function checkIdentity(root: XmlNode): string[] {
  const problems: string[] = [];
  const version = child(root, "Version")?.text.trim() || "";
  if (!/^(0|[1-9]\d{0,4})(\.(0|[1-9]\d{0,4})){3}$/.test(version)) problems.push(`Version "${version}" is not n.n.n.n`);
  const id = child(root, "Id")?.text.trim() || "";
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id))
    problems.push(`Id "${id}" is not a GUID`);
  if (id.toLowerCase() === TEMPLATE_GUID) problems.push("Id is the template's GUID: generate a fresh one");
  return problems;
}

/** TaskPaneApp for Workbook, ReadWriteDocument, a Home-tab button that shows the task pane. */
export function checkAppShape(root: XmlNode): string[] {
  const problems: string[] = [];
  if (root.name !== "OfficeApp" || xsiType(root) !== "TaskPaneApp")
    problems.push('root must be <OfficeApp xsi:type="TaskPaneApp">');
  const hosts = child(child(root, "Hosts"), "Host");
  if (!hosts || hosts.attrs.Name !== "Workbook") problems.push('Hosts must be <Host Name="Workbook">');
  if (child(root, "Permissions")?.text.trim() !== "ReadWriteDocument")
    problems.push("Permissions must be ReadWriteDocument");
  const vo = child(root, "VersionOverrides");
  if (!vo || xsiType(vo) !== "VersionOverridesV1_0") problems.push("VersionOverrides must be VersionOverridesV1_0");
  const voHost = child(child(vo, "Hosts"), "Host");
  if (!voHost || xsiType(voHost) !== "Workbook") problems.push('VersionOverrides Host must be xsi:type="Workbook"');
  const tab = byName(root, "OfficeTab")[0];
  if (!tab || tab.attrs.id !== "TabHome") problems.push("ribbon button must be on the Home tab (OfficeTab TabHome)");
  const res = resources(root);
  const group = child(tab, "Group");
  if (!group || res.get(child(group, "Label")?.attrs.resid || "")?.value !== "RIM Weighting")
    problems.push('ribbon group label must be "RIM Weighting"');
  const button = group?.children.find((c) => c.name === "Control" && xsiType(c) === "Button");
  if (
    !button ||
    xsiType(child(button, "Action") || { name: "", attrs: {}, children: [], text: "" }) !== "ShowTaskpane"
  ) {
    problems.push("the group needs a Button whose Action is ShowTaskpane");
  }
  const sizes = new Set(
    byName(root, "bt:Image")
      .filter((i) => i.attrs.size)
      .map((i) => i.attrs.size),
  );
  for (const s of ["16", "32", "80"]) if (!sizes.has(s)) problems.push(`ribbon icons need size ${s}`);
  return problems;
}

export function checkAll(xml: string, origin = DEV_ORIGIN): string[] {
  const root = parseXml(xml);
  return [
    ...checkElementOrder(root),
    ...checkResids(root),
    ...checkSharedRuntime(root),
    ...checkUrls(root, origin),
    ...checkNamespace(root),
    ...checkStringLengths(root),
    ...checkIdentity(root),
    ...checkAppShape(root),
  ];
}

/** Width/height from a PNG's IHDR, or null when the bytes are not a PNG. */
function pngSize(buf: Buffer): { width: number; height: number } | null {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(sig) || buf.toString("ascii", 12, 16) !== "IHDR") return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------
const xml = fs.readFileSync(MANIFEST_PATH, "utf8");

/** Replace exactly one occurrence (so a broken variant is surely different from the original). */
function mutate(src: string, from: string | RegExp, to: string): string {
  const out = src.replace(from, to);
  if (out === src) throw new Error(`mutation did not apply: ${from}`);
  return out;
}

describe("XML parser", () => {
  test("parses elements, attributes, entities, comments, CDATA", () => {
    const root = parseXml(
      `<?xml version="1.0"?><!-- c --><a x="1 &amp; 2" y='&#65;'><b/>t&lt;<![CDATA[<raw>]]><c:d/></a>`,
    );
    expect(root.name).toBe("a");
    expect(root.attrs).toEqual({ x: "1 & 2", y: "A" });
    expect(root.children.map((c) => c.name)).toEqual(["b", "c:d"]);
    expect(root.text).toBe("t<<raw>");
  });
  test.each([
    ["mismatched end tag", "<a><b></a></b>"],
    ["unclosed element", "<a><b></b>"],
    ["two roots", "<a/><b/>"],
    ["duplicate attribute", '<a x="1" x="2"/>'],
    ["unquoted attribute", "<a x=1/>"],
    ["bare ampersand", "<a>fish & chips</a>"],
    ["unknown entity", "<a>&nbsp;</a>"],
    ["text outside root", "<a/>junk"],
    ["unterminated comment", "<a><!-- x </a>"],
  ])("rejects %s", (_what, src) => {
    expect(() => parseXml(src)).toThrow(/XML:/);
  });
});

describe("manifest.xml", () => {
  const root = parseXml(xml);

  test("passes every check", () => {
    expect(checkAll(xml)).toEqual([]);
  });

  test("top-level element order is the schema's", () => {
    const names = root.children.map((c) => c.name);
    const order = CHILD_ORDER.OfficeApp.order;
    expect(names.map((n) => order.indexOf(n))).toEqual([...names.map((n) => order.indexOf(n))].sort((a, b) => a - b));
    expect(names).toEqual(
      expect.arrayContaining(["Id", "Version", "DefaultSettings", "Permissions", "VersionOverrides"]),
    );
  });

  test("the runtime, CustomFunctions page, function file and task pane button share one URL", () => {
    const res = resources(root);
    const runtime = byName(root, "Runtime")[0].attrs.resid;
    expect(res.get(runtime)?.value).toBe(`${DEV_ORIGIN}/taskpane.html`);
    expect(byName(root, "FunctionFile")[0].attrs.resid).toBe(runtime);
    const urls = Object.fromEntries([...res].filter(([, r]) => r.kind === "bt:Urls").map(([id, r]) => [id, r.value]));
    expect(Object.values(urls).sort()).toEqual(
      [`${DEV_ORIGIN}/functions.js`, `${DEV_ORIGIN}/functions.json`, `${DEV_ORIGIN}/taskpane.html`].sort(),
    );
  });

  test("icons exist in assets/ as PNGs of the named size", () => {
    const iconUrls = manifestUrls(root)
      .map((u) => u.url)
      .filter((u) => u.includes("/assets/"));
    expect(iconUrls.length).toBeGreaterThan(0);
    for (const size of [16, 32, 64, 80]) {
      const file = path.join(ROOT, "assets", `icon-${size}.png`);
      expect(pngSize(fs.readFileSync(file))).toEqual({ width: size, height: size });
    }
    for (const url of iconUrls) {
      const rel = new URL(url).pathname.slice(1);
      const m = /icon-(\d+)\.png$/.exec(rel);
      expect(m).not.toBeNull();
      expect(pngSize(fs.readFileSync(path.join(ROOT, rel)))).toEqual({ width: Number(m![1]), height: Number(m![1]) });
    }
  });
});

describe("each check fails on a broken manifest", () => {
  test.each<[string, (s: string) => string, (root: XmlNode) => string[], RegExp]>([
    [
      "Version before Id",
      (s) => mutate(s, /(<Id>[^<]*<\/Id>)\s*(<Version>[^<]*<\/Version>)/, "$2$1"),
      checkElementOrder,
      /<Id> must come before <Version>/,
    ],
    [
      "Permissions after VersionOverrides",
      (s) =>
        mutate(s, "  <Permissions>ReadWriteDocument</Permissions>\n", "").replace(
          "</OfficeApp>",
          "<Permissions>ReadWriteDocument</Permissions></OfficeApp>",
        ),
      checkElementOrder,
      /<Permissions> must come before <VersionOverrides>/,
    ],
    [
      "unknown element",
      (s) => mutate(s, "<Permissions>", "<Bogus/><Permissions>"),
      checkElementOrder,
      /unexpected child <Bogus>/,
    ],
    [
      "Page before Script",
      (s) => mutate(s, /(<Script>[\s\S]*?<\/Script>)\s*(<Page>[\s\S]*?<\/Page>)/, "$2$1"),
      checkElementOrder,
      /<Script> must come before <Page>/,
    ],
    ["missing Namespace", (s) => mutate(s, /<Namespace [^>]*\/>/, ""), checkElementOrder, /missing <Namespace>/],
    [
      "Supertip after Icon",
      (s) => mutate(s, /(<Supertip>[\s\S]*?<\/Supertip>)\s*(<Icon>[\s\S]*?<\/Icon>)/, "$2$1"),
      checkElementOrder,
      /<Supertip> must come before <Icon>/,
    ],
    [
      "undefined resid",
      (s) => mutate(s, '<Label resid="Group.Label" />', '<Label resid="Group.Nope" />'),
      checkResids,
      /"Group.Nope" is not defined/,
    ],
    [
      "resid of the wrong kind",
      (s) => mutate(s, '<Label resid="Group.Label" />', '<Label resid="TaskpaneButton.Tooltip" />'),
      checkResids,
      /expected bt:ShortStrings/,
    ],
    [
      "duplicate resource id",
      (s) => mutate(s, '<bt:String id="Group.Label"', '<bt:String id="TaskpaneButton.Label"'),
      checkResids,
      /duplicate resource id/,
    ],
    [
      "Page on another URL",
      (s) => mutate(s, /(<Page>\s*<SourceLocation resid=")Taskpane.Url/, "$1Functions.Script.Url"),
      checkSharedRuntime,
      /CustomFunctions Page uses resid "Functions.Script.Url"/,
    ],
    [
      "FunctionFile on another URL",
      (s) => mutate(s, '<FunctionFile resid="Taskpane.Url" />', '<FunctionFile resid="Functions.Script.Url" />'),
      checkSharedRuntime,
      /FunctionFile uses resid/,
    ],
    [
      "short-lived runtime",
      (s) => mutate(s, 'lifetime="long"', 'lifetime="short"'),
      checkSharedRuntime,
      /lifetime="long"/,
    ],
    [
      "no SharedRuntime requirement",
      (s) => mutate(s, 'Name="SharedRuntime"', 'Name="ExcelApi"'),
      checkSharedRuntime,
      /SharedRuntime 1\.1/,
    ],
    [
      "http URL",
      (s) => mutate(s, `${DEV_ORIGIN}/functions.json`, "http://localhost:3000/functions.json"),
      (r) => checkUrls(r, DEV_ORIGIN),
      /not https/,
    ],
    [
      "second origin",
      (s) => mutate(s, `${DEV_ORIGIN}/assets/icon-16.png`, "https://cdn.example.com/icon-16.png"),
      (r) => checkUrls(r, DEV_ORIGIN),
      /origin https:\/\/cdn\.example\.com/,
    ],
    [
      "relative URL",
      (s) => mutate(s, `${DEV_ORIGIN}/functions.js"`, 'functions.js"'),
      (r) => checkUrls(r, DEV_ORIGIN),
      /not an absolute URL/,
    ],
    [
      "namespace CONTOSO",
      (s) => mutate(s, 'DefaultValue="RIM" />', 'DefaultValue="CONTOSO" />'),
      (r) => checkNamespace(r),
      /expected "RIM"/,
    ],
    [
      "namespace with a space",
      (s) => mutate(s, 'DefaultValue="RIM" />', 'DefaultValue="R IM" />'),
      (r) => checkNamespace(r),
      /letters, digits and periods/,
    ],
    [
      "short string of 126",
      (s) =>
        mutate(
          s,
          'DefaultValue="RIM Weighting" />\n        <bt:String id="TaskpaneButton.Label"',
          `DefaultValue="${"x".repeat(126)}" />\n        <bt:String id="TaskpaneButton.Label"`,
        ),
      checkStringLengths,
      /126 characters, limit 125/,
    ],
    [
      "long string of 251",
      (s) => mutate(s, /(<bt:String id="TaskpaneButton.Tooltip" DefaultValue=")[^"]*/, `$1${"y".repeat(251)}`),
      checkStringLengths,
      /251 characters, limit 250/,
    ],
    [
      "Description of 251",
      (s) => mutate(s, /(<Description DefaultValue=")[^"]*/, `$1${"z".repeat(251)}`),
      checkStringLengths,
      /Description: 251 characters/,
    ],
    [
      "empty short string",
      (s) => mutate(s, 'DefaultValue="Weighting"', 'DefaultValue=""'),
      checkStringLengths,
      /empty/,
    ],
    [
      "version 1.0",
      (s) => mutate(s, /<Version>[^<]*<\/Version>/, "<Version>1.0</Version>"),
      checkIdentity,
      /not n\.n\.n\.n/,
    ],
    [
      "version with a leading zero",
      (s) => mutate(s, /<Version>[^<]*<\/Version>/, "<Version>1.01.0.0</Version>"),
      checkIdentity,
      /not n\.n\.n\.n/,
    ],
    ["Id not a GUID", (s) => mutate(s, /<Id>[^<]*<\/Id>/, "<Id>not-a-guid</Id>"), checkIdentity, /not a GUID/],
    [
      "template GUID",
      (s) => mutate(s, /<Id>[^<]*<\/Id>/, `<Id>${TEMPLATE_GUID}</Id>`),
      checkIdentity,
      /template's GUID/,
    ],
    ["wrong host", (s) => mutate(s, '<Host Name="Workbook" />', '<Host Name="Document" />'), checkAppShape, /Workbook/],
    [
      "ReadDocument permission",
      (s) => mutate(s, "<Permissions>ReadWriteDocument", "<Permissions>ReadDocument"),
      checkAppShape,
      /ReadWriteDocument/,
    ],
    [
      "custom tab instead of Home",
      (s) => mutate(s, 'OfficeTab id="TabHome"', 'OfficeTab id="TabData"'),
      checkAppShape,
      /Home tab/,
    ],
  ])("%s", (_what, breakIt, check, expected) => {
    const original = check(parseXml(xml));
    expect(original).toEqual([]);
    const broken = check(parseXml(breakIt(xml)));
    expect(broken.join("\n")).toMatch(expected);
  });

  test("an unused resource is reported", () => {
    const broken = mutate(
      xml,
      "</bt:ShortStrings>",
      '  <bt:String id="Spare" DefaultValue="spare" />\n      </bt:ShortStrings>',
    );
    expect(checkResids(parseXml(broken)).join("\n")).toMatch(/"Spare" is never used/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// scripts/manifest-prod.js
// ---------------------------------------------------------------------------------------------------------------
interface ManifestProd {
  normalizeBaseUrl(raw: string): string;
  rewriteManifest(xml: string, baseUrl: string): string;
  transformManifest(
    content: string | Buffer,
    env?: Record<string, string | undefined>,
    warn?: (m: string) => void,
  ): string;
  writeProdManifest(
    input: string,
    output: string,
    env?: Record<string, string | undefined>,
    warn?: (m: string) => void,
  ): { output: string; rewritten: boolean };
}
const prod: ManifestProd = require("../scripts/manifest-prod.js");

describe("manifest-prod", () => {
  test.each([
    ["https://rim.example.com", "https://rim.example.com"],
    ["https://rim.example.com/", "https://rim.example.com"],
    ["https://example.com/addins/rim//", "https://example.com/addins/rim"],
    ["  https://Example.COM:8443/rim/ ", "https://example.com:8443/rim"],
  ])("normalises %p", (raw, want) => {
    expect(prod.normalizeBaseUrl(raw)).toBe(want);
  });

  test.each([
    "http://rim.example.com",
    "rim.example.com",
    "https://rim.example.com/?x=1",
    "https://rim.example.com/#x",
    "https://u:p@rim.example.com",
    "",
  ])("rejects %p", (raw) => {
    expect(() => prod.normalizeBaseUrl(raw)).toThrow(/RIM_BASE_URL/);
  });

  test("rewrites every URL to the base, and the result passes the checks on the new origin", () => {
    const out = prod.rewriteManifest(xml, "https://rim.example.com/app/");
    expect(out).not.toMatch(/localhost/);
    expect(out).toContain('DefaultValue="https://rim.example.com/app/taskpane.html"');
    expect(out).toContain('DefaultValue="https://rim.example.com/app/assets/icon-16.png"');
    expect(checkAll(out, "https://rim.example.com")).toEqual([]);
    // the same number of URLs as before, only the origin changed
    expect(manifestUrls(parseXml(out)).length).toBe(manifestUrls(parseXml(xml)).length);
  });

  test("does not touch a longer port or another localhost URL silently", () => {
    expect(() => prod.rewriteManifest('<a u="https://localhost:30001/x"/>', "https://rim.example.com")).toThrow(
      /still names/,
    );
  });

  test("without RIM_BASE_URL: unchanged, with a warning", () => {
    const warnings: string[] = [];
    expect(prod.transformManifest(Buffer.from(xml), {}, (m) => warnings.push(m))).toBe(xml);
    expect(warnings.join("\n")).toMatch(/RIM_BASE_URL is not set/);
  });

  test("with RIM_BASE_URL: writes the rewritten manifest to the output path", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rim-manifest-"));
    try {
      const outFile = path.join(dir, "sub", "manifest.xml");
      const r = prod.writeProdManifest(MANIFEST_PATH, outFile, { RIM_BASE_URL: "https://rim.example.com" }, () => {
        throw new Error("no warning expected");
      });
      expect(r.rewritten).toBe(true);
      const written = fs.readFileSync(outFile, "utf8");
      expect(checkAll(written, "https://rim.example.com")).toEqual([]);
      expect(() =>
        prod.writeProdManifest(MANIFEST_PATH, outFile, { RIM_BASE_URL: "http://insecure.example.com" }),
      ).toThrow(/https/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
