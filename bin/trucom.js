#!/usr/bin/env node
// The `trucom` command (npx trucom …): the compiled CLI lives in the cli workspace.
import '../apps/common/dist/polyfills.js';
import { main } from '../cli/dist/main.js';

main(process.argv).catch((err) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
