/**
 * The external gates over synthesized CloudFormation, once per distinct template:
 *
 *   npx ts-node --swc scripts/cloudformation-gates.ts [cdk.out]
 *
 * cfn-lint, then checkov (acknowledgements: Metadata.checkov.skip on the resource), each as ONE process over
 * the templates it has not passed before. A template's pass is cached (lib/policy TemplateResultCache, in
 * PLATFORM_GATE_CACHE or the user's cache folder; `off` for none) keyed on its content, the tool's installed
 * version, the tool's arguments and its configuration files; a failing batch caches nothing and fails with the
 * tool's own output, so no template is ever waved through on an old result.
 *
 * Exits 0 when every template passed both gates, 1 when a gate failed, 2 when there is nothing to check.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyGateCacheDirectory } from '../bin/app-selection';
import { fingerprintOf, TemplateResultCache } from '../lib/policy';

const root = join(__dirname, '..');
const venv = join(root, '.venv');

interface TemplateGate {
  readonly name: string;
  /** The Python distribution whose installed version the results depend on. */
  readonly distribution: string;
  /** Configuration files the tool reads from the repository root, when present. */
  readonly configFiles: readonly string[];
  readonly command: (templates: readonly string[]) => string[];
}

const GATES: readonly TemplateGate[] = [
  {
    name: 'cfn-lint',
    distribution: 'cfn_lint',
    configFiles: ['.cfnlintrc', '.cfnlintrc.yaml', '.cfnlintrc.json'],
    command: (templates) => [join(venv, 'bin', 'cfn-lint'), ...templates],
  },
  {
    name: 'checkov-cloudformation',
    distribution: 'checkov',
    configFiles: ['.checkov.yaml', '.checkov.yml'],
    command: (templates) => [
      join(venv, 'bin', 'checkov'),
      ...templates.flatMap((t) => ['-f', t]),
      '--framework',
      'cloudformation',
      '--skip-download',
      '--quiet',
      '--compact',
    ],
  },
];

/** The installed version of a Python distribution in the project's virtualenv (its dist-info folder name). */
function installedVersion(distribution: string): string {
  const lib = join(venv, 'lib');
  for (const python of existsSync(lib) ? readdirSync(lib) : []) {
    const sitePackages = join(lib, python, 'site-packages');
    const info = existsSync(sitePackages)
      ? readdirSync(sitePackages).find((name) => name.startsWith(`${distribution}-`) && name.endsWith('.dist-info'))
      : undefined;
    if (info) return info;
  }
  throw new Error(`${distribution} is not installed in ${venv}; run npm run setup`);
}

function gateFingerprint(gate: TemplateGate): string {
  const configs = gate.configFiles.filter((file) => existsSync(join(root, file))).flatMap((file) => [file, readFileSync(join(root, file), 'utf8')]);
  return fingerprintOf(installedVersion(gate.distribution), gate.command(['<templates>']).slice(1).join(' '), ...configs);
}

function main(): number {
  const directory = process.argv[2] ?? 'cdk.out';
  const templates = existsSync(directory)
    ? readdirSync(directory)
        .filter((name) => name.endsWith('.template.json'))
        .map((name) => join(directory, name))
    : [];
  if (templates.length === 0) {
    process.stderr.write(`cloudformation-gates: no template in ${directory}; synthesize first (npm run synth)\n`);
    return 2;
  }
  const cacheDirectory = policyGateCacheDirectory();
  for (const gate of GATES) {
    const cache = cacheDirectory === undefined ? undefined : new TemplateResultCache(cacheDirectory, gate.name, gateFingerprint(gate));
    const keys = new Map(templates.map((template) => [template, cache?.keyOf(readFileSync(template, 'utf8'))]));
    const unchecked = templates.filter((template) => {
      const key = keys.get(template);
      return key === undefined || cache?.read(key)?.success !== true;
    });
    process.stdout.write(`${gate.name}: ${templates.length} template(s), ${unchecked.length} not passed before\n`);
    if (unchecked.length === 0) continue;
    const [command, ...args] = gate.command(unchecked);
    const run = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' } });
    if (run.status !== 0) {
      process.stderr.write(`cloudformation-gates: ${gate.name} failed (exit ${run.status ?? run.signal})\n`);
      return 1;
    }
    for (const template of unchecked) {
      const key = keys.get(template);
      if (key !== undefined) cache?.write(key, { success: true, violations: [] });
    }
  }
  return 0;
}

process.exitCode = main();
