// Builds the add-in into dist/: taskpane.html (the shared runtime page, loading the task pane and the
// custom functions chunks), functions.js + functions.json (generated from the JSDoc in functions/), the
// engine Worker and both wasm builds (split chunks, loaded by detection), the manifest and icons. Shaped
// like the Office add-in templates' webpack.config.js.
const path = require("path");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");
const { devServerHeaders } = require("./scripts/headers.js");
const { transformManifest } = require("./scripts/manifest-prod.js");

const DEV_PORT = Number(process.env.npm_package_config_dev_server_port || 3000);

async function httpsOptions() {
  // office-addin-dev-certs installs a CA the first time (it asks on Windows/macOS); reused afterwards.
  const devCerts = require("office-addin-dev-certs");
  const options = await devCerts.getHttpsServerOptions();
  return { ca: options.ca, key: options.key, cert: options.cert };
}

module.exports = async (env, argv) => {
  const dev = argv.mode !== "production";
  const serving = process.env.WEBPACK_SERVE === "true";
  return {
    devtool: dev ? "source-map" : false,
    entry: {
      // taskpane.html loads both bundles: the pane depends on the functions bundle, so the page has ONE webpack
      // runtime and module cache, hence one shared engine client (one Worker, one rayon pool) for the pane and
      // =RIM.WEIGHT(). functions.js keeps the runtime, so it still loads on its own (Functions.Script.Url).
      taskpane: { import: "./taskpane/index.tsx", dependOn: "functions" },
      functions: "./functions/functions.ts",
      playground: "./playground/index.tsx",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      chunkFilename: "[name].[contenthash:8].js",
      assetModuleFilename: "[name].[contenthash:8][ext]",
      clean: true,
    },
    resolve: { extensions: [".ts", ".tsx", ".js"] },
    module: {
      rules: [
        { test: /\.tsx?$/, exclude: /node_modules/, use: { loader: "ts-loader", options: { transpileOnly: true } } },
        // The wasm-bindgen glue locates its module with new URL("…_bg.wasm", import.meta.url): an asset.
        { test: /\.wasm$/, type: "asset/resource" },
        { test: /\.(png|jpg|jpeg|gif|ico)$/, type: "asset/resource", generator: { filename: "assets/[name][ext]" } },
      ],
    },
    experiments: { topLevelAwait: true },
    performance: { hints: false },
    plugins: [
      new CustomFunctionsMetadataPlugin({ output: "functions.json", input: "./functions/functions.ts" }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./taskpane/taskpane.html",
        chunks: ["taskpane", "functions"],
      }),
      new HtmlWebpackPlugin({
        filename: "playground.html",
        template: "./playground/playground.html",
        chunks: ["playground"],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            // Production manifests point at RIM_BASE_URL instead of localhost (see README, "Hosting").
            transform: (content) => (dev ? content : transformManifest(content)),
          },
        ],
      }),
    ],
    devServer: serving
      ? {
          port: DEV_PORT,
          host: "localhost",
          headers: devServerHeaders,
          static: false,
          server: process.env.RIM_DEV_HTTP ? "http" : { type: "https", options: await httpsOptions() },
          client: { overlay: { warnings: false } },
          hot: false,
          liveReload: true,
        }
      : undefined,
  };
};
