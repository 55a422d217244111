#!/usr/bin/env node
// Launcher for the rim CLI: runs cli/rim.ts through tsx's require hook (no build step needed).
"use strict";
require("tsx/cjs");
const { main } = require("../cli/rim.ts");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`rim: internal error: ${(error && error.stack) || error}\n`);
    process.exitCode = 1;
  },
);
