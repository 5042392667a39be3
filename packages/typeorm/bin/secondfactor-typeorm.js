#!/usr/bin/env node
'use strict';
// Committed, executable entry point: npm links it at install time, before dist/ is built.
const { runCli } = require('../dist/cli.js');

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
