#!/usr/bin/env node
// Launcher of the `platform` bin (package.json "bin"): runs bin/platform.ts through ts-node with the
// swc transpiler (no type-check at start-up: `npm run typecheck` does that), from any working directory.
const { join } = require('node:path');

let tsNode;
try {
  tsNode = require('ts-node');
} catch {
  process.stderr.write('platform: ts-node is not installed next to this project; run "npm ci" in its folder (ts-node and @swc/core are dev dependencies)\n');
  process.exit(1);
}
tsNode.register({ swc: true, project: join(__dirname, '..', 'tsconfig.json') });
require('./platform.ts');
