/**
 * The README's promise about `npm start` on Linux: the playground URL it names is the one scripts/start.js prints,
 * and the server `npm start` runs there (start.js → `npm run playground`, webpack serve) answers on exactly that
 * URL with the playground page. The build steps before start.js are left out: webpack serve builds in memory.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

/** The playground URL in the README's `npm start` paragraph. */
function readmePlaygroundUrl(): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const urls = readme.match(/\bhttps?:\/\/localhost:\d+\/playground\.html/g) ?? [];
  if (urls.length !== 1) throw new Error(`the README names ${urls.length} playground URLs; expected one`);
  return urls[0];
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

/** Polls until the URL answers (webpack's first build takes a while on a busy machine). */
async function waitForAnswer(url: string, child: ChildProcess, deadline: number) {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`start.js exited with ${child.exitCode} before serving`);
    try {
      return await get(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

describe("npm start on Linux", () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    // the whole process group: start.js, npm and webpack serve below it
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
  });

  test("the README's playground URL is what start.js prints and what its server answers on", async () => {
    const url = readmePlaygroundUrl();
    child = spawn(process.execPath, ["scripts/start.js", "--playground"], { cwd: ROOT, detached: true });
    let printed = "";
    child.stdout!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    child.stderr!.resume();
    await new Promise((resolve, reject) => {
      child!.stdout!.on("data", () => printed.includes("\n") && resolve(undefined));
      child!.on("exit", (code) => reject(new Error(`start.js exited with ${code} before printing its URL`)));
    });
    expect(printed).toContain(` at ${url}`);
    const answer = await waitForAnswer(url, child, Date.now() + 240_000);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/<script[^>]+playground\.js/);
  }, 300_000);
});
