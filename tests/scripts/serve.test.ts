/**
 * scripts/headers.js, and what scripts/static-server.js + scripts/serve.js add to serve-static: our headers per
 * public path (isolation for the task pane, workers and wasm; CORP/CORS everywhere; CSP), mounts, the HTTPS set-up
 * and the CLI; every URL the manifest names maps to a file that the build puts in dist/. File serving itself
 * (traversal, HEAD, ETag, MIME types) is serve-static's and not retested here. Listens on 127.0.0.1 only, on a
 * free port. Also the small pure parts of scripts/start.js.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

interface Started {
  server: http.Server;
  url: string;
  port: number;
  close(): Promise<void>;
}
interface ServeModule {
  createServer(opts: {
    root: string;
    https?: boolean;
    port?: number;
    host?: string;
    tls?: { cert: Buffer; key: Buffer };
  }): Promise<Started>;
  parseArgs(argv: string[]): { https: boolean; port?: string; root?: string; host?: string; help: boolean };
}
interface HeadersModule {
  headersFor(urlPath: string, opts?: { dev?: boolean; frameAncestors?: string[] }): Record<string, string>;
  devServerHeaders(req: { url?: string; originalUrl?: string }): Record<string, string>;
  contentTypeFor(urlPath: string): string;
  resourceKind(urlPath: string): string;
  REQUIRED_HEADER_NAMES: string[];
}
interface StartModule {
  chooseMode(platform: string, args?: string[]): "desktop" | "playground";
  commandFor(mode: string, args?: string[], platform?: string): [string, string[]];
}
interface StaticServerModule {
  createStaticHandler(opts: {
    mounts: { prefix: string; dir: string; index?: string }[];
  }): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  listen(
    handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
    opts: { port: number; host: string },
  ): Promise<Started>;
}
const serve: ServeModule = require("../../scripts/serve.js");
const staticServer: StaticServerModule = require("../../scripts/static-server.js");
const headers: HeadersModule = require("../../scripts/headers.js");
const start: StartModule = require("../../scripts/start.js");

/** Files the build emits into dist/ that the manifest points at (webpack config + copied assets). */
const EXPECTED_DIST_FILES = [
  "taskpane.html",
  "functions.json",
  "functions.js",
  "assets/icon-16.png",
  "assets/icon-32.png",
  "assets/icon-64.png",
  "assets/icon-80.png",
];
const WORKER = "engine.worker.3f9a1c2b.js"; // a content-hashed worker chunk
const WASM = "rim_engine_bg.wasm";
const WASM_BYTES = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
/** Raw request: the path is sent exactly as given (no URL normalisation), so traversal attempts reach the server. */
function request(
  base: string,
  rawPath: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<Res> {
  const u = new URL(base);
  const mod = u.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        host: u.hostname,
        port: u.port,
        path: rawPath,
        method: opts.method || "GET",
        headers: opts.headers,
        rejectUnauthorized: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode || 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

let tmp: string;
let dist: string;
let srv: Started;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rim-serve-"));
  dist = path.join(tmp, "dist");
  fs.mkdirSync(path.join(dist, "assets"), { recursive: true });
  fs.writeFileSync(path.join(dist, "taskpane.html"), "<!doctype html><title>RIM</title>");
  fs.writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>index</title>");
  fs.writeFileSync(path.join(dist, "functions.json"), '{"functions":[]}');
  fs.writeFileSync(path.join(dist, "functions.js"), "/* custom functions */");
  fs.writeFileSync(path.join(dist, WORKER), "/* worker */");
  fs.writeFileSync(path.join(dist, WASM), WASM_BYTES);
  for (const s of [16, 32, 64, 80]) {
    fs.copyFileSync(path.join(ROOT, "assets", `icon-${s}.png`), path.join(dist, "assets", `icon-${s}.png`));
  }
  srv = await serve.createServer({ root: dist, https: false, port: 0, host: "127.0.0.1" });
});

afterAll(async () => {
  if (srv) await srv.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("headers.js", () => {
  test("isolation headers on the task pane, worker scripts and wasm", () => {
    for (const p of ["/taskpane.html", `/${WORKER}`, `/${WASM}`, "/"]) {
      const h = headers.headersFor(p);
      expect(h["Document-Isolation-Policy"]).toBe("isolate-and-credentialless");
      expect(h["Cross-Origin-Opener-Policy"]).toBe("same-origin");
      expect(h["Cross-Origin-Embedder-Policy"]).toBe("credentialless");
    }
  });

  test("CORP cross-origin and CORS on everything; no isolation headers on icons/metadata", () => {
    for (const p of ["/taskpane.html", "/functions.json", "/assets/icon-32.png", `/${WASM}`, "/manifest.xml"]) {
      const h = headers.headersFor(p);
      expect(h["Cross-Origin-Resource-Policy"]).toBe("cross-origin");
      expect(h["Access-Control-Allow-Origin"]).toBe("*");
      expect(h["X-Content-Type-Options"]).toBe("nosniff");
    }
    expect(headers.headersFor("/functions.json")["Document-Isolation-Policy"]).toBeUndefined();
    expect(headers.headersFor("/assets/icon-16.png")["Cross-Origin-Embedder-Policy"]).toBeUndefined();
  });

  test("CSP: office.js, wasm, workers, styles, images, frame-ancestors", () => {
    const csp = headers.headersFor("/taskpane.html")["Content-Security-Policy"];
    const dir = (name: string) =>
      (
        csp
          .split(";")
          .map((d) => d.trim())
          .find((d) => d.startsWith(name + " ")) || ""
      )
        .split(/\s+/)
        .slice(1);
    expect(dir("script-src")).toEqual(
      expect.arrayContaining([
        "'self'",
        "https://appsforoffice.microsoft.com",
        "https://ajax.aspnetcdn.com",
        "'wasm-unsafe-eval'",
      ]),
    );
    expect(dir("script-src")).not.toContain("'unsafe-eval'");
    expect(dir("script-src")).not.toContain("'unsafe-inline'");
    expect(dir("worker-src")).toEqual(expect.arrayContaining(["'self'", "blob:"]));
    expect(dir("connect-src")).toEqual(["'self'"]);
    expect(dir("img-src")).toEqual(expect.arrayContaining(["'self'", "data:"]));
    expect(dir("style-src")).toEqual(expect.arrayContaining(["'self'", "'unsafe-inline'"]));
    expect(dir("frame-ancestors")).toEqual(
      expect.arrayContaining([
        "'self'",
        "https://*.officeapps.live.com",
        "https://*.office.com",
        "https://*.office365.com",
        "https://*.sharepoint.com",
        "https://*.microsoft365.com",
      ]),
    );
    // the worker carries its own CSP (a dedicated Worker does not inherit the page's)
    expect(headers.headersFor(`/${WORKER}`)["Content-Security-Policy"]).toContain("'wasm-unsafe-eval'");
    // dev: the live-reload socket is allowed, eval still is not
    const devCsp = headers.headersFor("/taskpane.html", { dev: true })["Content-Security-Policy"];
    expect(devCsp).toMatch(/connect-src 'self' wss: ws:/);
    expect(devCsp).not.toContain("'unsafe-eval'");
  });

  test("every required header name is sent on the task pane page", () => {
    const h = headers.headersFor("/taskpane.html");
    expect(headers.REQUIRED_HEADER_NAMES.length).toBeGreaterThanOrEqual(5);
    for (const name of headers.REQUIRED_HEADER_NAMES) expect(h[name]).toBeTruthy();
  });

  test("content types and cache policy", () => {
    expect(headers.contentTypeFor("/x.wasm")).toBe("application/wasm");
    expect(headers.contentTypeFor("/x.wasm?v=1")).toBe("application/wasm");
    expect(headers.contentTypeFor("/taskpane.html")).toMatch(/^text\/html/);
    expect(headers.contentTypeFor("/unknown.bin")).toBe("application/octet-stream");
    expect(headers.headersFor("/taskpane.html")["Cache-Control"]).toBe("no-cache");
    expect(headers.headersFor("/functions.js")["Cache-Control"]).toBe("no-cache");
    expect(headers.headersFor("/functions.json")["Cache-Control"]).toBe("no-cache");
    expect(headers.headersFor(`/${WORKER}`)["Cache-Control"]).toMatch(/immutable/);
    expect(headers.headersFor("/taskpane.html", { dev: true })["Cache-Control"]).toBe("no-store");
  });

  test("devServerHeaders: per request, no Content-Type (the dev server sets it)", () => {
    const h = headers.devServerHeaders({ url: "/taskpane.html?_host_Info=Excel" });
    expect(h["Document-Isolation-Policy"]).toBe("isolate-and-credentialless");
    expect(h["Content-Type"]).toBeUndefined();
  });
});

describe("serve.js over a dist-like folder (HTTP, 127.0.0.1)", () => {
  test("task pane page: isolation + CSP headers", async () => {
    const r = await request(srv.url, "/taskpane.html?_host_Info=Excel$Win32$16.01$en-US");
    expect(r.status).toBe(200);
    expect(r.headers["document-isolation-policy"]).toBe("isolate-and-credentialless");
    expect(r.headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(r.headers["cross-origin-embedder-policy"]).toBe("credentialless");
    expect(r.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    expect(r.headers["content-security-policy"]).toContain("frame-ancestors");
    expect(r.headers["cache-control"]).toBe("no-cache");
    expect(r.body.toString()).toContain("<title>RIM</title>");
  });

  test("wasm: isolation headers, no CSP", async () => {
    const r = await request(srv.url, `/${WASM}`);
    expect(r.status).toBe(200);
    expect(r.headers["cross-origin-embedder-policy"]).toBe("credentialless");
    expect(r.headers["document-isolation-policy"]).toBe("isolate-and-credentialless");
    expect(r.headers["content-security-policy"]).toBeUndefined();
  });

  test("worker script: isolation headers, its own CSP, immutable when content-hashed", async () => {
    const r = await request(srv.url, `/${WORKER}`);
    expect(r.status).toBe(200);
    expect(r.headers["cross-origin-embedder-policy"]).toBe("credentialless");
    expect(r.headers["content-security-policy"]).toContain("'wasm-unsafe-eval'");
    expect(r.headers["cache-control"]).toMatch(/immutable/);
  });

  test("functions.json and icons: CORP + CORS for Office, no isolation headers", async () => {
    const j = await request(srv.url, "/functions.json");
    expect(j.status).toBe(200);
    expect(j.headers["access-control-allow-origin"]).toBe("*");
    expect(j.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    expect(j.headers["document-isolation-policy"]).toBeUndefined();
    const i = await request(srv.url, "/assets/icon-80.png");
    expect(i.status).toBe(200);
    expect(i.headers["cross-origin-resource-policy"]).toBe("cross-origin");
  });

  test("/ gets the document headers of the index.html it serves", async () => {
    const r = await request(srv.url, "/");
    expect(r.status).toBe(200);
    expect(r.body.toString()).toContain("<title>index</title>");
    expect(r.headers["document-isolation-policy"]).toBe("isolate-and-credentialless");
    expect(r.headers["content-security-policy"]).toContain("frame-ancestors");
  });

  test("every URL in manifest.xml maps to an expected dist/ file, served with 200", async () => {
    const xml = fs.readFileSync(path.join(ROOT, "manifest.xml"), "utf8").replace(/<!--[\s\S]*?-->/g, "");
    const urls = [...new Set([...xml.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]))].filter(
      (u) => !u.startsWith("http://schemas.microsoft.com/") && !u.startsWith("http://www.w3.org/"),
    );
    expect(urls.length).toBeGreaterThanOrEqual(EXPECTED_DIST_FILES.length);
    const named = new Set<string>();
    for (const url of urls) {
      const u = new URL(url);
      expect(u.origin).toBe("https://localhost:3000");
      const rel = decodeURIComponent(u.pathname).replace(/^\//, "");
      expect(EXPECTED_DIST_FILES).toContain(rel);
      named.add(rel);
      const r = await request(srv.url, u.pathname);
      expect(r.status).toBe(200);
      expect(r.headers["cross-origin-resource-policy"]).toBe("cross-origin");
    }
    // and the manifest uses every file we expect the build to ship for it
    expect([...named].sort()).toEqual([...EXPECTED_DIST_FILES].sort());
  });
});

describe("static-server.js mounts", () => {
  test("each prefix serves its folder; headers follow the public path, a mount's index included", async () => {
    const mounted = await staticServer.listen(
      staticServer.createStaticHandler({
        mounts: [
          { prefix: "/", dir: dist },
          { prefix: "/pkg/", dir: path.join(dist, "assets"), index: "icon-16.png" },
          { prefix: "/js/", dir: dist, index: "functions.js" },
        ],
      }),
      { port: 0, host: "127.0.0.1" },
    );
    try {
      const icon = await request(mounted.url, "/pkg/icon-32.png");
      expect(icon.status).toBe(200);
      expect(icon.body.equals(fs.readFileSync(path.join(dist, "assets", "icon-32.png")))).toBe(true);
      expect(icon.headers["cross-origin-resource-policy"]).toBe("cross-origin");
      expect(icon.headers["document-isolation-policy"]).toBeUndefined();
      // "/js/" serves functions.js: script headers, although the URL names a folder
      const glue = await request(mounted.url, "/js/?v=1");
      expect(glue.status).toBe(200);
      expect(glue.body.toString()).toBe("/* custom functions */");
      expect(glue.headers["content-security-policy"]).toContain("'wasm-unsafe-eval'");
      // a folder URL without its slash is redirected to its full public path, not the mount-relative one
      const redirect = await request(mounted.url, "/js/assets");
      expect(redirect.status).toBe(301);
      expect(redirect.headers.location).toBe("/js/assets/");
    } finally {
      await mounted.close();
    }
  });
});

describe("serve.js HTTPS and CLI", () => {
  const haveOpenssl = spawnSync("openssl", ["version"]).status === 0;
  (haveOpenssl ? test : test.skip)(
    "serves HTTPS with a self-signed certificate generated here",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rim-tls-"));
      try {
        const key = path.join(dir, "key.pem");
        const cert = path.join(dir, "cert.pem");
        const gen = spawnSync(
          "openssl",
          [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key,
            "-out",
            cert,
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
          ],
          { stdio: "ignore" },
        );
        expect(gen.status).toBe(0);
        const s = await serve.createServer({
          root: dist,
          https: true,
          port: 0,
          host: "127.0.0.1",
          tls: { key: fs.readFileSync(key), cert: fs.readFileSync(cert) },
        });
        try {
          expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
          const r = await request(s.url, `/${WASM}`);
          expect(r.status).toBe(200);
          expect(r.headers["content-type"]).toBe("application/wasm");
        } finally {
          await s.close();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    30000,
  );

  test("argument parsing", () => {
    expect(serve.parseArgs(["--http", "--port", "4000", "--root=out"])).toMatchObject({
      https: false,
      port: "4000",
      root: "out",
    });
    expect(serve.parseArgs([])).toMatchObject({ https: true });
    expect(() => serve.parseArgs(["--bogus"])).toThrow(/unknown argument/);
  });

  test("the CLI logs its URL and serves", async () => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "scripts", "serve.js"), "--http", "--host", "127.0.0.1", "--port", "0", "--root", dist],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`no URL logged: ${out}`)), 10000);
        child.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const r = await request(url, "/taskpane.html");
      expect(r.status).toBe(200);
      expect(r.headers["document-isolation-policy"]).toBe("isolate-and-credentialless");
    } finally {
      child.kill("SIGTERM");
    }
  }, 20000);
});

describe("start.js", () => {
  test("desktop on Windows and macOS, playground elsewhere or when asked", () => {
    expect(start.chooseMode("win32")).toBe("desktop");
    expect(start.chooseMode("darwin")).toBe("desktop");
    expect(start.chooseMode("linux")).toBe("playground");
    expect(start.chooseMode("win32", ["--playground"])).toBe("playground");
  });

  test("desktop runs office-addin-debugging start manifest.xml with the extra args", () => {
    const [cmd, argv] = start.commandFor("desktop", ["web", "--no-debug"], "darwin");
    const line = [cmd, ...argv].join(" ");
    expect(line).toMatch(/office-addin-debugging/);
    expect(argv.slice(-4)).toEqual(["start", "manifest.xml", "web", "--no-debug"]);
  });

  test("playground runs the npm script", () => {
    expect(start.commandFor("playground", [], "linux")).toEqual(["npm", ["run", "playground"]]);
    expect(start.commandFor("playground", ["--playground", "--port", "5000"], "win32")).toEqual([
      "npm.cmd",
      ["run", "playground", "--", "--port", "5000"],
    ]);
  });
});
