#!/usr/bin/env node
// The `kvstore` command. npm links bins at install time, before `npm run build` creates dist/,
// and skips a bin whose file does not exist yet; this committed, executable shim always exists.
import '../dist/cli.js';
