#!/usr/bin/env -S node --max-semi-space-size=2
// The `collector` command. npm links bins at install time, before `npm run build` creates
// dist/, and skips a bin whose file does not exist yet; this committed shim always exists.
// A 2 MiB young generation keeps RSS under 100 MB at 100 containers for ~5 % more CPU.
import '../dist/cli.js';
