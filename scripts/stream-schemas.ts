#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDefinitionText, runApp, validateDefinition } from '../lib/config';
import { type DatasetConfig, isStream, type PlatformConfig } from '../lib/definition';
import {
  compatibilityChecks,
  readerWriterIncompatibilities,
  parseAvroSchema,
  readStreamSchemaFiles,
  type StreamSchemaHistory,
  streamSchemaFile,
  streamSchemaHistory,
  streamSchemaText,
} from '../lib/schema-registry';

/**
 * The streams' schema registry in the repository (schema/streams/<domain>/<dataset>/v<N>.avsc) and its
 * compatibility gate:
 *   npm run schemas:streams             register: append the definition's columns as the next version of
 *                                       each stream whose columns changed (v1 for a new stream), unless
 *                                       that version would break the stream's compatibility mode
 *   npm run schemas:streams -- --check  the gate (inside `npm test`): every version parses, keeps its mode
 *                                       against the versions before it, and the last one is the columns;
 *                                       every pair the mode checks is judged again by Apache Avro's own
 *                                       checker (the Python `avro` package), which must agree
 * `loadPlatformConfig` runs the same checks (without Python) before any template is synthesized.
 */

const REPOSITORY = join(__dirname, '..');
const PYTHON = join(REPOSITORY, '.venv', 'bin', 'python');
const REFERENCE_CHECKER = join(REPOSITORY, 'scripts', 'avro-compatibility.py');

function loadDefinition(file: string): { config: PlatformConfig; root: string } {
  const path = resolve(file);
  return { config: validateDefinition(parseDefinitionText(readFileSync(path, 'utf8'), file), file), root: dirname(path) };
}

function histories(config: PlatformConfig, root: string): { dataset: DatasetConfig; history: StreamSchemaHistory }[] {
  return config.datasets.filter(isStream).map((dataset) => {
    const { files, problems } = readStreamSchemaFiles(root, dataset);
    return { dataset, history: streamSchemaHistory(dataset, files, problems) };
  });
}

/** What changed in each version after the first, as the gate reports it. */
function report(dataset: DatasetConfig, history: StreamSchemaHistory): string[] {
  const mode = dataset.source.kind === 'stream' ? dataset.source.compatibility : 'NONE';
  const lines = [`${dataset.name} (${mode}): ${history.versions.length} version(s)`];
  for (const change of history.changes) {
    const parts = [
      ...change.addedOptional.map((name) => `adds optional field ${name}`),
      ...change.addedRequired.map((name) => `adds required field ${name}`),
      ...change.removed.map((name) => `removes field ${name}`),
      ...change.changed.map((name) => `changes field ${name}`),
    ];
    lines.push(`  v${change.version}: ${parts.join(', ') || 'no field changes'}`);
  }
  return lines;
}

interface ReferenceVerdict {
  readonly compatible?: boolean;
  readonly incompatibilities?: string[];
  readonly error?: string;
}

/** Judges every pair the modes check with Apache Avro's Python checker; returns each disagreement with the TypeScript checker. */
function referenceDisagreements(entries: { dataset: DatasetConfig; history: StreamSchemaHistory }[]): string[] {
  const pairs = entries.flatMap(({ dataset, history }) => {
    if (dataset.source.kind !== 'stream') return [];
    const mode = dataset.source.compatibility;
    const json = history.versions.map((version) => JSON.parse(version.definition) as unknown);
    return history.versions.flatMap((version) =>
      compatibilityChecks(mode, version.version).map(({ against, direction }) => {
        const [reader, writer] = direction === 'BACKWARD' ? [version.version, against] : [against, version.version];
        return { label: `dataset "${dataset.name}" v${version.version} ${direction} against v${against}`, reader: json[reader - 1], writer: json[writer - 1] };
      }),
    );
  });
  if (pairs.length === 0) return [];
  const run = spawnSync(PYTHON, [REFERENCE_CHECKER], { input: JSON.stringify(pairs.map(({ reader, writer }) => ({ reader, writer }))), encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    throw new Error(
      `the reference checker (${REFERENCE_CHECKER}) failed: ${run.error?.message ?? run.stderr.trim()}; ` +
        `run \`npm run setup\` to install the avro package into .venv`,
    );
  }
  const verdicts = JSON.parse(run.stdout) as ReferenceVerdict[];
  return pairs.flatMap((pair, index) => {
    const verdict = verdicts[index];
    if (verdict.error) return [`${pair.label}: Apache Avro refuses the schema: ${verdict.error}`];
    const ours = readerWriterIncompatibilities(parseAvroSchema(pair.reader), parseAvroSchema(pair.writer));
    const rules = [...new Set(ours.map((incompatibility) => incompatibility.rule))].sort();
    const agree = verdict.compatible === (ours.length === 0) && JSON.stringify(rules) === JSON.stringify(verdict.incompatibilities);
    return agree
      ? []
      : [
          `${pair.label}: Apache Avro says ${verdict.compatible ? 'compatible' : verdict.incompatibilities?.join(', ')}, ` +
            `lib/schema-registry says ${rules.join(', ') || 'compatible'}`,
        ];
  });
}

function check(file: string): void {
  const { config, root } = loadDefinition(file);
  const entries = histories(config, root);
  const problems = entries.flatMap(({ history }) => history.problems);
  for (const { dataset, history } of entries) process.stdout.write(`${report(dataset, history).join('\n')}\n`);
  if (problems.length === 0) problems.push(...referenceDisagreements(entries));
  if (problems.length > 0) {
    process.stderr.write(`stream schema registry: ${problems.length} problem(s):\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`stream schemas: ${entries.length} stream(s) registered and compatible (checked again by Apache Avro's checker)\n`);
}

function register(file: string): void {
  const { config, root } = loadDefinition(file);
  const problems: string[] = [];
  for (const { dataset, history } of histories(config, root)) {
    if (!history.unregistered) {
      problems.push(...history.problems);
      continue;
    }
    const { version, schema } = history.unregistered;
    const path = streamSchemaFile(dataset, version);
    const { files, problems: fileProblems } = readStreamSchemaFiles(root, dataset);
    const candidate = streamSchemaHistory(dataset, [...files, { version, file: path, text: streamSchemaText(schema) }], fileProblems);
    if (candidate.problems.length > 0) {
      problems.push(...candidate.problems.map((problem) => `not registered: ${problem}`));
      continue;
    }
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), streamSchemaText(schema));
    process.stdout.write(`registered ${path}\n`);
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
    process.exit(1);
  }
}

if (require.main === module) {
  const file = process.env.PLATFORM_CONFIG ?? 'platform.yaml';
  void runApp(() => (process.argv.includes('--check') ? check(file) : register(file)));
}
