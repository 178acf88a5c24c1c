#!/usr/bin/env node
// The `tessera` command: the bundled CLI (`npm run build` makes dist/bundle/, see scripts/bundle.js).
import module from 'node:module';

// Node.js 22.1 and later keep V8's compiled code of the bundle on disk (in the OS temp folder) and
// skip most of its parsing on the next start; Node.js 20 has no such cache and starts without it.
module.enableCompileCache?.();
await import('../dist/bundle/main.js');
