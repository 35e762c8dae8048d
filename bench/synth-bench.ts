/**
 * `npm run bench`: synth performance, measured, never asserted. Printed side by side in one run:
 *   1. The example definition: the floor (same libraries, empty apps, gates on) beside the full synth (both apps,
 *      every environment, policy gates on), as medians of fresh processes run alternately, and their ratio
 *      (target: 1.5x) — with the policy-gate cache warm (a developer's loop: templates already checked are not
 *      checked again) and cold (every template checked, as on a fresh CI machine); then one environment alone.
 *   2. Scale: 1,000 datasets in domains of 25-50 plus one large domain, all environments and one environment:
 *      time, peak memory, the largest template and the largest IAM policy document.
 *   3. The unit loop (`npm run test:unit`), and the dbt benchmark (`npm run bench:dbt`, with --dbt).
 * Options: --runs N (default 5), --skip-scale, --skip-unit, --dbt, --datasets N (default 1000),
 *   --large-domain N (datasets in the large domain; default 300: it is split into shards, recorded in the
 *   generated definition's platform.shards.yaml as `npm run shards` writes it), --environment NAME (the one
 *   environment; default: the first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPlatformConfig, parseDefinitionText, shardLockFileOf, shardLockText } from '../lib/config';
import { shardLockOf } from '../lib/limits';

const root = join(__dirname, '..');
const args = process.argv.slice(2);
function numberOption(name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got ${args[at + 1]}`);
  return value;
}
const runs = numberOption('--runs', 5);
const datasetCount = numberOption('--datasets', 1000);
const largeDomain = numberOption('--large-domain', 300);
const environmentAt = args.indexOf('--environment');
const tsNode = join(root, 'node_modules', '.bin', 'ts-node');

interface Measured {
  readonly seconds: number;
  readonly maxRssKiB?: number;
}

function timeProcess(script: string, env: Record<string, string> = {}): Measured {
  const report = join(mkdtempSync(join(tmpdir(), 'bench-report-')), 'report.json');
  const started = process.hrtime.bigint();
  const result = spawnSync(tsNode, ['--swc', script], {
    cwd: root,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', BENCH_REPORT: report, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${script} failed:\n${result.stderr.slice(0, 4000)}`);
  const maxRssKiB = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { maxRssKiB: number }).maxRssKiB : undefined;
  return { seconds, maxRssKiB };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (seconds: number) => `${seconds.toFixed(2)} s`;
const mib = (kib: number | undefined) => (kib === undefined ? '?' : `${(kib / 1024).toFixed(0)} MiB`);

/** A fresh, empty policy-gate cache folder: every template is checked. */
const coldCache = () => ({ PLATFORM_GATE_CACHE: mkdtempSync(join(tmpdir(), 'gate-cache-')) });

function floorBesideFull(label: string, env: () => Record<string, string>): void {
  const floor: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < runs; i++) {
    floor.push(timeProcess('bench/floor-app.ts', env()).seconds);
    full.push(timeProcess('bench/full-synth.ts', env()).seconds);
  }
  const ratio = median(full) / median(floor);
  console.log(`  ${label}`);
  console.log(`    floor (same libraries, empty apps)      ${fmt(median(floor))}   runs: ${floor.map(fmt).join(', ')}`);
  console.log(`    full synth (all stacks, policy gates)   ${fmt(median(full))}   runs: ${full.map(fmt).join(', ')}`);
  console.log(`    ratio full / floor                      ${ratio.toFixed(2)}x   (target: 1.5x)`);
}

function exampleSynth(environment: string): void {
  console.log(`synth of the example definition, median of ${runs} fresh processes each:`);
  const warm = { PLATFORM_GATE_CACHE: mkdtempSync(join(tmpdir(), 'gate-cache-')) };
  timeProcess('bench/floor-app.ts', warm); // warm the file-system cache, unmeasured
  timeProcess('bench/full-synth.ts', warm); // and the gate cache: every template checked once
  floorBesideFull('policy-gate cache warm (templates checked before are not checked again):', () => warm);
  floorBesideFull('policy-gate cache cold (every template checked):', coldCache);
  const one: number[] = [];
  const oneCold: number[] = [];
  for (let i = 0; i < runs; i++) {
    one.push(timeProcess('bench/full-synth.ts', { ...warm, PLATFORM_ENV: environment }).seconds);
    oneCold.push(timeProcess('bench/full-synth.ts', { ...coldCache(), PLATFORM_ENV: environment }).seconds);
  }
  console.log(`  one environment alone (PLATFORM_ENV=${environment})`);
  console.log(`    full synth, cache warm                  ${fmt(median(one))}   runs: ${one.map(fmt).join(', ')}`);
  console.log(`    full synth, cache cold                  ${fmt(median(oneCold))}   runs: ${oneCold.map(fmt).join(', ')}`);
}

/** Domain sizes for `count` datasets: one domain of `large`, the rest in domains of 25 to 50 (a fixed sequence). */
export function domainSizes(count: number, large: number): number[] {
  const sizes = [Math.min(large, count)];
  let left = count - sizes[0];
  for (let i = 0; left > 0; i++) {
    let size = Math.min(left, 25 + ((i * 7) % 26));
    // Never leave a remainder below 25: take it all (up to 50), or leave exactly 25.
    if (left - size > 0 && left - size < 25) size = left <= 50 ? left : left - 25;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * The example definition plus datasets cloned from its catalogue under new names, in domains of the given sizes
 * (`domain_00` is the large one), as a large catalogue is organised. The example's own datasets stay as they
 * are (consumers and grants name them) and count towards the total.
 */
function definitionWithDatasets(count: number, sizes: readonly number[]): string {
  const example = parseDefinitionText(readFileSync(join(root, 'platform.yaml'), 'utf8'), 'platform.yaml') as {
    datasets: Array<{ name: string; source: { kind: string } }>;
  };
  // Stream datasets need a registered message schema per dataset (schema/streams/<domain>/<dataset>), so the
  // clones are of the batch datasets; the example's own streams keep theirs (the folder is linked beside the file).
  const templates = example.datasets.filter((dataset) => dataset.source.kind !== 'stream');
  const domains = sizes.flatMap((size, domain) => Array.from({ length: size }, () => `domain_${String(domain).padStart(2, '0')}`));
  const clones = domains.map((domain, i) => {
    const template = templates[i % templates.length];
    return { ...template, name: `${template.name}_${String(i).padStart(4, '0')}`, domain };
  });
  const datasets = [...example.datasets, ...clones];
  if (datasets.length !== count) throw new Error(`bench: built ${datasets.length} datasets, expected ${count}`);
  const folder = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  symlinkSync(join(root, 'schema'), join(folder, 'schema'));
  const file = join(folder, 'platform.yaml');
  // About 1,000 batch datasets need about 5,000 Data Factory entities in each environment's factory, Azure's default
  // limit (lib/limits): a catalogue of this size runs with that quota raised, declared as the definition does it.
  const serviceQuotas = { 'datafactory.entities-per-factory': 10_000 };
  writeFileSync(file, stringify({ ...example, datasets, serviceQuotas }, { aliasDuplicateObjects: false }));
  // The large domain's shards, recorded as `npm run shards` would beside a real definition.
  writeFileSync(shardLockFileOf(file), shardLockText(shardLockOf(loadPlatformConfig(file, { checkShardLock: false }))));
  return file;
}

interface TemplateFigures {
  resources: number;
  resourcesIn: string;
  bytes: number;
  bytesIn: string;
  policyChars: number;
  policyIn: string;
}

/** The largest template (resources, bytes) and the largest IAM policy document (characters of minified JSON, tokens unresolved). */
function largestTemplates(cdkOut: string): TemplateFigures {
  const largest: TemplateFigures = { resources: 0, resourcesIn: '', bytes: 0, bytesIn: '', policyChars: 0, policyIn: '' };
  for (const name of readdirSync(cdkOut).filter((f) => f.endsWith('.template.json'))) {
    const path = join(cdkOut, name);
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
    const resources = Object.keys(template.Resources).length;
    const bytes = statSync(path).size;
    if (resources > largest.resources) Object.assign(largest, { resources, resourcesIn: name });
    if (bytes > largest.bytes) Object.assign(largest, { bytes, bytesIn: name });
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const documents =
        resource.Type === 'AWS::IAM::Role'
          ? ((resource.Properties?.Policies ?? []) as Array<{ PolicyDocument: unknown }>).map((p) => p.PolicyDocument)
          : resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy'
            ? [resource.Properties?.PolicyDocument]
            : [];
      for (const document of documents) {
        const chars = JSON.stringify(document).length;
        if (chars > largest.policyChars) Object.assign(largest, { policyChars: chars, policyIn: `${name.replace('.template.json', '')}/${logicalId}` });
      }
    }
  }
  return largest;
}

function scale(environment: string, exampleDatasets: number): void {
  const sizes = domainSizes(datasetCount - exampleDatasets, largeDomain);
  console.log(
    `\nscale: ${datasetCount} datasets (the example's ${exampleDatasets} and ${sizes.length} domains: one of ${sizes[0]}, the others ` +
      `${Math.min(...sizes.slice(1))}-${Math.max(...sizes.slice(1))}), one fresh process each, policy gates on, cache cold:`,
  );
  const definition = definitionWithDatasets(datasetCount, sizes);
  for (const [label, env] of [
    ['all environments', {}],
    [`one environment (${environment})`, { PLATFORM_ENV: environment }],
  ] as const) {
    const out = mkdtempSync(join(tmpdir(), 'bench-out-'));
    const measured = timeProcess('bench/full-synth.ts', { PLATFORM_CONFIG: definition, BENCH_OUT: out, ...coldCache(), ...env });
    const largest = largestTemplates(join(out, 'cdk.out'));
    console.log(`  ${label.padEnd(26)} ${fmt(measured.seconds)} (target: 90 s)   peak memory ${mib(measured.maxRssKiB)} (target: 2 GiB)`);
    console.log(
      `    most resources: ${largest.resources} (${largest.resourcesIn}); ` +
        `largest template: ${(largest.bytes / 1024).toFixed(1)} KiB (${largest.bytesIn}); limits 500 and 1024 KiB`,
    );
    console.log(`    largest IAM policy document: ${largest.policyChars} characters (${largest.policyIn}; minified, tokens unresolved)`);
    rmSync(out, { recursive: true, force: true });
  }
}

/** The TMPDIR this process started with: jest keeps its transform cache there, as in a developer's loop. */
const startingTmpdir = tmpdir();

function unitLoop(): void {
  const started = process.hrtime.bigint();
  const result = spawnSync('npm', ['run', 'test:unit', '--silent'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: startingTmpdir },
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const tests = /Tests:\s+([^\n]+)/.exec(`${result.stdout}${result.stderr}`)?.[1] ?? '?';
  console.log(
    `\nunit loop (npm run test:unit: type-check + fast tests, jest's transform cache as left by earlier runs): ${fmt(seconds)} (target: 60 s), ` +
      `exit ${result.status}, tests: ${tests}`,
  );
}

function dbt(): void {
  if (!args.includes('--dbt')) {
    console.log('\ndbt at 1,000,000 orders: run `npm run bench:dbt` (or `npm run bench -- --dbt` to include it here)');
    return;
  }
  console.log('\ndbt at 1,000,000 orders (npm run bench:dbt):');
  spawnSync('npm', ['run', 'bench:dbt', '--silent'], { cwd: root, stdio: 'inherit' });
}

function main(): void {
  const example = loadPlatformConfig(join(root, 'platform.yaml'));
  const environment = environmentAt >= 0 ? args[environmentAt + 1] : example.environments[0].name;
  // The synth outputs, gate caches and scale definitions go under one scratch folder, the TMPDIR of this process
  // and the ones it times, removed at the end.
  const scratch = mkdtempSync(join(tmpdir(), 'synth-bench-'));
  process.env.TMPDIR = scratch;
  try {
    exampleSynth(environment);
    if (!args.includes('--skip-scale')) scale(environment, example.datasets.length);
    if (!args.includes('--skip-unit')) unitLoop();
    dbt();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) main();
