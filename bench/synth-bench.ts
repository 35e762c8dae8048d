/**
 * `npm run bench`: synth performance, measured, never asserted.
 *   1. Full synth (both apps, every environment, policy gates on) beside the floor (same libraries,
 *      empty apps), as wall-clock medians of fresh processes run alternately, and their ratio
 *      (target: under 2x).
 *   2. Scale: definitions with 250, 500 and 1,000 datasets (in domains of 40); synth time, time per dataset, and the
 *      largest CloudFormation template's resource count and size (limits: 500 resources, 1 MB).
 * Options: --runs N (default 5), --skip-scale.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseDefinitionText } from '../lib/config';

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const runsIndex = args.indexOf('--runs');
const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 5;
const tsNode = join(root, 'node_modules', '.bin', 'ts-node');

function timeProcess(script: string, env: Record<string, string> = {}): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(tsNode, ['--swc', script], { cwd: root, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${script} failed:\n${result.stderr}`);
  return seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (seconds: number) => `${seconds.toFixed(2)} s`;

function synthBesideFloor(): void {
  const floor: number[] = [];
  const full: number[] = [];
  timeProcess('bench/floor-app.ts'); // warm the file-system cache once, unmeasured
  for (let i = 0; i < runs; i++) {
    floor.push(timeProcess('bench/floor-app.ts'));
    full.push(timeProcess('bench/full-synth.ts'));
  }
  const ratio = median(full) / median(floor);
  console.log(`synth, median of ${runs} fresh processes each (the example definition):`);
  console.log(`  floor (same libraries, empty apps)      ${fmt(median(floor))}   runs: ${floor.map(fmt).join(', ')}`);
  console.log(`  full synth (all stacks, policy gates)   ${fmt(median(full))}   runs: ${full.map(fmt).join(', ')}`);
  console.log(`  ratio full / floor                      ${ratio.toFixed(2)}x   (target: under 2x)`);
}

/** Datasets per domain in the scale definitions: a realistic domain size, below the per-domain stack limit. */
const DATASETS_PER_DOMAIN = 40;

/**
 * The example definition with `count` datasets, cloned from the example catalogue under new names and
 * spread over domains of DATASETS_PER_DOMAIN datasets each (`domain_00`, `domain_01`, ...), as a large
 * catalogue is organised; per-domain stacks then stay the size of one domain.
 */
function definitionWithDatasets(count: number): string {
  const example = parseDefinitionText(readFileSync(join(root, 'platform.yaml'), 'utf8'), 'platform.yaml') as {
    datasets: Array<{ name: string }>;
    environments: unknown;
  };
  const templates = example.datasets;
  const datasets = Array.from({ length: count }, (_, i) => {
    const template = templates[i % templates.length] as { name: string; source: { kind: string; topic?: string } };
    const suffix = String(i).padStart(4, '0');
    const source = template.source.kind === 'stream' ? { ...template.source, topic: `${template.source.topic}.${suffix}` } : template.source;
    const domain = `domain_${String(Math.floor(i / DATASETS_PER_DOMAIN)).padStart(2, '0')}`;
    return { ...template, name: `${template.name}_${suffix}`, domain, source };
  });
  // A Standard Event Hubs namespace holds 10 hubs (one per stream dataset): Premium, 100 per processing unit.
  const streams = datasets.filter((dataset) => dataset.source.kind === 'stream').length;
  const environments = example.environments as Record<string, { azure?: { streaming?: unknown } }>;
  for (const env of Object.values(environments)) if (env.azure) env.azure.streaming = { sku: 'Premium', capacity: Math.max(1, Math.ceil(streams / 100)) };
  const file = join(mkdtempSync(join(tmpdir(), 'bench-scale-')), 'platform.yaml');
  writeFileSync(file, stringify({ ...example, datasets }, { aliasDuplicateObjects: false }));
  return file;
}

function largestTemplates(cdkOut: string): { resources: number; resourcesIn: string; bytes: number; bytesIn: string } {
  const largest = { resources: 0, resourcesIn: '', bytes: 0, bytesIn: '' };
  for (const name of readdirSync(cdkOut).filter((f) => f.endsWith('.template.json'))) {
    const path = join(cdkOut, name);
    const resources = Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { Resources: object }).Resources).length;
    const bytes = statSync(path).size;
    if (resources > largest.resources) Object.assign(largest, { resources, resourcesIn: name });
    if (bytes > largest.bytes) Object.assign(largest, { bytes, bytesIn: name });
  }
  return largest;
}

function scale(): void {
  console.log('\nscale (one fresh process each, policy gates on):');
  for (const count of [250, 500, 1000]) {
    const out = mkdtempSync(join(tmpdir(), 'bench-out-'));
    const seconds = timeProcess('bench/full-synth.ts', { PLATFORM_CONFIG: definitionWithDatasets(count), BENCH_OUT: out });
    const largest = largestTemplates(join(out, 'cdk.out'));
    console.log(
      `  ${String(count).padStart(5)} datasets   ${fmt(seconds)}   ${((seconds * 1000) / count).toFixed(2)} ` +
        `ms/dataset   most resources: ${largest.resources} (${largest.resourcesIn}), largest: ${(largest.bytes / 1024).toFixed(1)} ` +
        `KiB (${largest.bytesIn}); limits 500 and 1024 KiB`,
    );
  }
}

// The synth outputs (bench/floor-app.ts and bench/full-synth.ts write into fresh folders under the temporary
// directory) and the scale definitions go under one scratch folder, the TMPDIR of this process and the ones
// it times, removed at the end.
const scratch = mkdtempSync(join(tmpdir(), 'synth-bench-'));
process.env.TMPDIR = scratch;
try {
  synthBesideFloor();
  if (!args.includes('--skip-scale')) scale();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
