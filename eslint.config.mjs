// Lint (npm run lint, run by npm test): ESLint's and typescript-eslint's recommended rules, the React hooks rules
// on components, and the Office rules of eslint-plugin-office-addins (what the Office templates' office-addin-lint
// enables) on the code that calls Excel. Formatting is prettier's alone (`prettier --check` in npm run lint).
import js from "@eslint/js";
import officeAddins from "eslint-plugin-office-addins";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** The plugin's own preset also brings its TS parser pin and prettier-as-a-rule; only its Office rules are taken. */
const OFFICE_RULES = {
  "office-addins/call-sync-after-load": "error",
  "office-addins/call-sync-before-read": "error",
  "office-addins/load-object-before-read": "error",
  "office-addins/no-context-sync-in-loop": "warn",
  "office-addins/no-empty-load": "warn",
  "office-addins/no-navigational-load": "warn",
  "office-addins/no-office-initialize": "warn",
  "office-addins/test-for-null-using-isNullObject": "error",
};

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "build/",
      "coverage/",
      "engine/runtime/wasm/",
      "engine-rs/",
      "target/",
      "bench/data/",
      "bench/.venv/",
      "bench/.target/",
      "bench/results/",
      "tests/artifacts/",
      "tests/browser/.cache/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // `const { backend, ...numbers } = advice` drops fields on purpose: the rest is what is used.
    rules: { "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }] },
  },
  {
    files: ["**/*.tsx"],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ["taskpane/**/*.ts", "functions/**/*.ts"],
    plugins: { "office-addins": officeAddins },
    rules: OFFICE_RULES,
  },
  {
    // Node scripts (CommonJS, require is their import).
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    // Pages and workers of the browser bench (ES modules in Chromium).
    files: ["bench/browser/index.js", "bench/browser/worker.js"],
    languageOptions: { sourceType: "module", globals: globals.browser },
  },
  {
    // Playwright drivers: Node code whose page.evaluate callbacks run in the browser.
    files: ["tests/browser/**/*.mjs", "bench/browser/run.js", "bench/e2e/run.js", "bench/e2e/pane.js"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // Tests load the repository's CommonJS scripts, which have no type declarations; each test states the shape
    // it uses as an interface.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": ["error", { allow: ["/scripts/[\\w.-]+\\.js$"] }] },
  },
  {
    // The Excel host stand-ins implement @types/office-js's own signatures, which are typed with any and Function
    // (Range.values: any[][], Setting.get(): any, CustomFunctions.associate(id, func: Function)), and the
    // emulator fills in the window globals (OSF, Office) Microsoft's library reads.
    files: ["tests/fake-excel/**/*.ts", "tests/host/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-unsafe-function-type": "off" },
  },
);
