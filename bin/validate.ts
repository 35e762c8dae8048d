#!/usr/bin/env node
import { loadPlatformConfig } from '../lib/config';
import { definitionSummary } from '../lib/plan/definition-summary';
import { runApp } from '../lib/config/run-app';

// `npm run validate [-- path]`: checks the definition and prints what it describes.
void runApp(() => {
  const file = process.argv[2] ?? process.env.PLATFORM_CONFIG ?? 'platform.yaml';
  process.stdout.write(`${definitionSummary(loadPlatformConfig(file))}\n`);
});
