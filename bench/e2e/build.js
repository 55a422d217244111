"use strict";
/**
 * A production build of the add-in for the e2e bench into a scratch folder (bench/data/e2e-dist/, git-ignored),
 * with webpack.config.js exactly as `npx webpack --mode production` uses it, so that dist/ is left alone while
 * others use it. bench/run.js uses it only when dist/ has no bench hooks (an older build). Prints the folder.
 *
 *   node bench/e2e/build.js            → bench/data/e2e-dist
 */
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const OUT = path.join(ROOT, "bench", "data", "e2e-dist");

async function build() {
  const webpack = require("webpack");
  const makeConfig = require(path.join(ROOT, "webpack.config.js"));
  const config = await makeConfig({}, { mode: "production" });
  config.mode = "production";
  config.context = ROOT;
  config.output.path = OUT;
  const t0 = Date.now();
  const stats = await new Promise((resolve, reject) => webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
  if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
  console.error(
    `[bench:build] production build in ${((Date.now() - t0) / 1000).toFixed(0)} s → ${path.relative(ROOT, OUT)}`,
  );
  return { dir: OUT };
}

module.exports = { build, OUT };

if (require.main === module) {
  build().then(
    (r) => console.log(r.dir),
    (e) => {
      console.error(e && e.stack ? e.stack : String(e));
      process.exit(1);
    },
  );
}
