/**
 * `npm run workflows [-- --check]`: writes the GitHub Actions workflows (.github/workflows/) rendered from
 * the definition (scripts/workflows/render-workflows.ts). With `--check` (in `npm test`) it writes nothing
 * and fails, naming the files, when the committed workflows differ from what the definition renders.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPlatformConfig } from '../lib/config';
import { runApp } from '../lib/config/run-app';
import { renderWorkflows } from './workflows/render-workflows';
import { workflowInput } from './workflows/workflow-input';

const ROOT = join(__dirname, '..');

void runApp(() => {
  const check = process.argv.includes('--check');
  const config = loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'platform.yaml');
  const files = renderWorkflows(workflowInput(config));
  const stale: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    const target = join(ROOT, path);
    const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (current === content) continue;
    if (check) stale.push(path);
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      process.stdout.write(`workflows: wrote ${path}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`workflows: ${stale.join(', ')} differ from what platform.yaml renders; run \`npm run workflows\` and commit the result\n`);
    process.exitCode = 1;
  } else if (check) process.stdout.write(`workflows: ${Object.keys(files).length} workflow file(s) match the definition\n`);
});
