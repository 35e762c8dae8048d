import { readFileSync } from 'node:fs';
import { basename, dirname, resolve as resolvePath } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from './errors';
import { resolveDefinition } from './resolve';
import type { ConfigIssue } from './issue';
import { crossFieldIssues } from './rules';
import { type PlatformDefinition, platformDefinitionSchema } from './schema';
import type { PlatformConfig } from '../definition';
import { fallbackErrorMap, fromZodIssues } from './zod-issues';
import { streamSchemaHistories } from '../schema-registry/stream-schemas';
import { serviceLimitProblems } from '../limits/check';
import { shardLockProblems } from '../limits/domain-shards';
import { readShardLock, shardLockFileOf } from './shard-lock';

/** The definition file used when none is named. */
export const DEFAULT_DEFINITION_FILE = 'platform.yaml';

/** Adds the dataset's name to issues inside the catalogue, so a reader need not count list items. */
function labelDatasets(issues: ConfigIssue[], raw: unknown): ConfigIssue[] {
  const datasets = (raw as { datasets?: unknown })?.datasets;
  if (!Array.isArray(datasets)) return issues;
  return issues.map((issue) => {
    const [head, index] = issue.path;
    const name = head === 'datasets' && typeof index === 'number' ? (datasets[index] as { name?: unknown })?.name : undefined;
    return typeof name === 'string' && !issue.message.includes(`dataset "${name}"`) ? { ...issue, message: `${issue.message} (dataset "${name}")` } : issue;
  });
}

/**
 * Validates a parsed definition and resolves it. Throws a ConfigError listing every problem: shape
 * problems first; relations between fields are checked once the shape is right.
 */
export function validateDefinition(raw: unknown, source = '(inline definition)'): PlatformConfig {
  if (raw === null || raw === undefined) throw new ConfigError(source, [{ path: [], message: 'is empty; expected the platform definition' }]);
  const parsed = platformDefinitionSchema.safeParse(raw, { reportInput: true, error: fallbackErrorMap });
  if (!parsed.success) throw new ConfigError(source, labelDatasets(fromZodIssues(parsed.error.issues), raw));
  const definition: PlatformDefinition = parsed.data;
  const issues = crossFieldIssues(definition);
  if (issues.length > 0) throw new ConfigError(source, labelDatasets(issues, raw));
  const config = resolveDefinition(definition, source);
  const limits = serviceLimitProblems(config);
  if (limits.length > 0) throw new ConfigError(source, labelDatasets(limits, raw));
  return config;
}

/** Parses YAML text; syntax errors and duplicate keys become issues with their line and column. */
export function parseDefinitionText(text: string, source: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((error) => ({
        path: [],
        message:
          `YAML ${error.linePos ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : 'syntax'}: ` +
          `${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    );
  }
  try {
    return document.toJS();
  } catch (error) {
    // yaml refuses documents that expand aliases without bound ("billion laughs").
    throw new ConfigError(source, [{ path: [], message: `YAML cannot be read: ${(error as Error).message}` }]);
  }
}

/**
 * Reads, validates and resolves a definition file, with the registered versions of its streams' message
 * schemas from `schema/streams/` beside it: a version file that does not parse, a version that breaks
 * its dataset's compatibility mode, or columns changed without a new version are problems like any other,
 * so no template is synthesized from them. The recorded shards of large domains (`platform.shards.yaml`
 * beside it) are read too, and refused when out of date or when a recorded shard outgrew its stacks.
 */
export interface LoadOptions {
  /**
   * Refuse a `platform.shards.yaml` that is out of date. Only `npm run shards`, which brings it up to date,
   * reads it without.
   * @default true
   */
  readonly checkShardLock?: boolean;
}

export function loadPlatformConfig(file: string = DEFAULT_DEFINITION_FILE, options: LoadOptions = {}): PlatformConfig {
  const path = resolvePath(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ConfigError(file, [{ path: [], message: `cannot read the definition file: ${reason}` }]);
  }
  const raw = parseDefinitionText(text, file);
  const config = validateDefinition(raw, file);
  const histories = streamSchemaHistories(config, dirname(path));
  const issues = histories.flatMap((history) => {
    const index = config.datasets.findIndex((dataset) => dataset.name === history.dataset);
    return history.problems.map((message) => ({ path: ['datasets', index, 'columns'], message }));
  });
  if (issues.length > 0) throw new ConfigError(file, issues);
  const lockFile = shardLockFileOf(path);
  const loaded: PlatformConfig = Object.freeze({
    ...config,
    streamSchemas: Object.freeze(Object.fromEntries(histories.map((history) => [history.dataset, history.versions]))),
    shardLock: readShardLock(lockFile),
  });
  // The shards as recorded: out of date (a later change could move a dataset), or recorded shards that
  // no longer fit once their tables widened, are problems like any other.
  const lockName = basename(lockFile);
  const shardIssues: ConfigIssue[] = [
    ...(options.checkShardLock === false ? [] : shardLockProblems(loaded, lockName)).map((problem) => ({
      path: problem.dataset ? ['datasets', loaded.datasets.findIndex((dataset) => dataset.name === problem.dataset), 'domain'] : [],
      message: problem.message,
    })),
    ...(options.checkShardLock === false ? [] : serviceLimitProblems(loaded)),
  ];
  if (shardIssues.length > 0) throw new ConfigError(file, labelDatasets(shardIssues, raw));
  return loaded;
}
