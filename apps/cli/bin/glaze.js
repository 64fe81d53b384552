#!/usr/bin/env node
// Glaze runs its TypeScript sources directly through tsx: no build step for the Node side.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// V8 lets the old generation grow to as much as 4x what survived the last full collection before it
// collects again. An import's or export's pages, and a run's results, live a moment too long for the
// young generation and are promoted; with that much room a million-row import and export peaked at
// 230-308 MB RSS with 25-30 MB live, at 2x 175-210 MB (docs/OPERATIONS.md, Memory). Set here, before
// anything is allocated; `node --heap-growing-percent=N` on the command line overrides it (0: V8's own).
if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) {
  setFlagsFromString('--heap-growing-percent=100');
}

register();
await import('../src/main.ts');
