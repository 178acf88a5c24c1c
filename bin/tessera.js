#!/usr/bin/env node
// The `tessera` command: the compiled CLI (`npm run build` makes dist/).
await import('../dist/apps/server/main.js');
