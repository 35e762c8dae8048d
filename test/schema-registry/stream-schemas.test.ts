import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadPlatformConfig } from '../../lib/config';
import { streamMessageAvroSchema } from '../../lib/lake/stream-arguments';
import { streamSchemaFile, streamSchemaHistories, streamSchemaText } from '../../lib/schema-registry';
import { configWith, EXAMPLE_DEFINITION_FILE, exampleConfig, problemsAfter } from '../fixtures/platform';

const REPOSITORY = join(__dirname, '..', '..');
const WEB_EVENTS = { domain: 'marketing', name: 'web_events' };
const V1 = readFileSync(join(REPOSITORY, streamSchemaFile(WEB_EVENTS, 1)), 'utf8');
const REFERRER_LINE = '      - { name: referrer, type: string, description: Page the visitor came from }\n';

/** A copy of the example definition in a temporary folder, changed by `edit`, with the given version files of web_events. */
function workspace(versions: readonly string[], edit: (yaml: string) => string = (yaml) => yaml): string {
  const root = mkdtempSync(join(tmpdir(), 'stream-schemas-'));
  writeFileSync(join(root, 'platform.yaml'), edit(readFileSync(EXAMPLE_DEFINITION_FILE, 'utf8')));
  mkdirSync(join(root, 'schema', 'streams', 'marketing', 'web_events'), { recursive: true });
  versions.forEach((text, index) => writeFileSync(join(root, streamSchemaFile(WEB_EVENTS, index + 1)), text));
  return root;
}

/** The definition with web_events gaining an optional column after page_url. */
const withReferrer = (yaml: string) => yaml.replace(/( {6}- \{ name: page_url, type: string \}\n)/, `$1${REFERRER_LINE}`);

function v2(change: (fields: { name: string; type: unknown; default?: unknown }[]) => void): string {
  const schema = JSON.parse(V1) as { fields: { name: string; type: unknown; default?: unknown }[] };
  change(schema.fields);
  return streamSchemaText(schema);
}

function problemsOf(root: string): string[] {
  try {
    loadPlatformConfig(join(root, 'platform.yaml'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => issue.message);
  }
  throw new Error('expected the definition to be refused');
}

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));
function tracked(root: string): string {
  roots.push(root);
  return root;
}

describe('the stream schema registry in the repository', () => {
  test("the example's registered versions are sound and the last is the definition's columns", () => {
    const histories = streamSchemaHistories(exampleConfig(), REPOSITORY);
    expect(histories.map((history) => history.problems)).toEqual(histories.map(() => []));
    const config = loadPlatformConfig(EXAMPLE_DEFINITION_FILE);
    const webEvents = config.datasets.find((dataset) => dataset.name === 'web_events');
    const versions = config.streamSchemas.web_events;
    expect(JSON.parse(versions[versions.length - 1].definition)).toEqual(webEvents && streamMessageAvroSchema(webEvents));
  });

  test('a definition validated without its folder registers each stream’s columns as v1', () => {
    expect(exampleConfig().streamSchemas.web_events.map((version) => version.file)).toEqual([streamSchemaFile(WEB_EVENTS, 1)]);
  });

  test('a new optional field registered as v2 passes BACKWARD and is reported as an added optional field', () => {
    const root = tracked(
      workspace(
        [
          V1,
          v2((fields) => {
            fields.splice(5, 0, { name: 'referrer', type: ['null', 'string'], default: null });
          }),
        ],
        withReferrer,
      ),
    );
    const config = loadPlatformConfig(join(root, 'platform.yaml'));
    expect(config.streamSchemas.web_events.map((version) => version.version)).toEqual([1, 2]);
    const [history] = streamSchemaHistories(config, root);
    expect(history.changes).toEqual([{ version: 2, addedOptional: ['referrer'], addedRequired: [], removed: [], changed: [] }]);
  });

  test('fails when a version breaks BACKWARD, naming the dataset, the field and the rule', () => {
    const root = tracked(
      workspace(
        [
          V1,
          v2((fields) => {
            fields[2].type = ['null', 'string'];
          }),
        ],
        (yaml) => yaml.replace('- { name: customer_id, type: bigint }', '- { name: customer_id, type: string }'),
      ),
    );
    expect(problemsOf(root)).toEqual([
      'dataset "web_events": v2 breaks BACKWARD compatibility with v1 (consumers on v2 cannot read messages written with v1): field "customer_id" ' +
        "(/fields/2/type/1): MISSING_UNION_BRANCH: the reader's union lacks the writer's type long",
    ]);
  });

  test('fails when a version adds a field without a default (a hand-edited file), naming the rule', () => {
    const root = tracked(
      workspace(
        [
          V1,
          v2((fields) => {
            fields.push({ name: 'referrer', type: 'string' });
          }),
        ],
        withReferrer,
      ),
    );
    const problems = problemsOf(root);
    expect(problems.join('\n')).toContain('v2 breaks BACKWARD compatibility with v1');
    expect(problems.join('\n')).toContain('field "referrer" (/fields/7): READER_FIELD_MISSING_DEFAULT_VALUE');
  });

  test('fails when the columns changed without a new version, naming the field and the version to register', () => {
    const root = tracked(workspace([V1], withReferrer));
    expect(problemsOf(root)).toEqual([
      `dataset "web_events": the definition's columns differ from the last registered version, ${streamSchemaFile(WEB_EVENTS, 1)} (field "referrer" added); ` +
        'registered versions are never edited: run `npm run schemas:streams` to register the columns as v2 ' +
        `(${streamSchemaFile(WEB_EVENTS, 2)}), which the compatibility gate then checks (BACKWARD)`,
    ]);
  });

  test('fails when a version file does not parse, naming the file', () => {
    const root = tracked(workspace([V1, '{ "type": "record", "name": "web_events", "fields": [ }\n'], withReferrer));
    const [problem] = problemsOf(root);
    expect(problem).toMatch(new RegExp(`^dataset "web_events": ${streamSchemaFile(WEB_EVENTS, 2).replace(/[.]/g, '\\.')} does not parse as JSON: `));
  });

  test('fails when a version file is JSON but not Avro, naming the file and where in it', () => {
    const root = tracked(
      workspace(
        [
          V1,
          v2((fields) => {
            fields[0].type = ['null', 'uuid-string'];
          }),
        ],
        withReferrer,
      ),
    );
    expect(problemsOf(root)).toEqual([
      `dataset "web_events": ${streamSchemaFile(WEB_EVENTS, 2)} is not a valid Avro schema: at /fields/0/type/1: "uuid-string" is neither a primitive type ` +
        '(null, boolean, int, long, float, double, bytes, string) nor a named type defined before it',
    ]);
  });

  test('fails when versions have a gap, or a file is not a version', () => {
    const root = tracked(workspace([V1]));
    writeFileSync(join(root, 'schema', 'streams', 'marketing', 'web_events', 'v3.avsc'), V1);
    writeFileSync(join(root, 'schema', 'streams', 'marketing', 'web_events', 'latest.avsc'), V1);
    const problems = problemsOf(root);
    expect(problems).toContain(
      `dataset "web_events": ${streamSchemaFile(WEB_EVENTS, 3)} follows ${streamSchemaFile(WEB_EVENTS, 1)}; versions are numbered 1, 2, 3, ... without gaps`,
    );
    expect(problems.some((problem) => problem.includes('latest.avsc is not a version file'))).toBe(true);
  });

  test('fails when a stream has no registered schema', () => {
    const root = tracked(workspace([]));
    expect(problemsOf(root)).toEqual([
      'dataset "web_events" has no registered schema: schema/streams/marketing/web_events holds no ' +
        'v1.avsc; run `npm run schemas:streams` to register its columns as v1',
    ]);
  });
});

describe('compatibility modes in the definition', () => {
  test('default to BACKWARD', () => {
    const webEvents = exampleConfig().datasets.find((dataset) => dataset.name === 'web_events');
    expect(webEvents?.source).toMatchObject({ kind: 'stream', compatibility: 'BACKWARD' });
  });

  test('fails when a mode Event Hubs does not offer is set in a definition with Azure environments', () => {
    expect(
      problemsAfter((definition) => {
        definition.datasets.find((dataset: { name: string }) => dataset.name === 'web_events').source.compatibility = 'FULL';
      }),
    ).toEqual([
      'datasets[5].source.compatibility: "FULL" is not offered by Event Hubs schema groups (dataset "web_events", Azure environments: dev, staging, prod); ' +
        'allowed there: NONE, BACKWARD, FORWARD',
    ]);
  });

  test('accepts FULL_ALL when no environment uses Azure', () => {
    const config = configWith((definition) => {
      for (const env of Object.values<Record<string, unknown>>(definition.environments)) {
        env.clouds = ['aws'];
        delete env.azure;
        delete env.databricks;
      }
      delete definition.dbt;
      delete definition.consumers; // shares are Databricks objects
      delete definition.mlUseCases[0].serving; // served on Databricks only
      definition.datasets.find((dataset: { name: string }) => dataset.name === 'web_events').source.compatibility = 'FULL_ALL';
    });
    expect(config.datasets.find((dataset) => dataset.name === 'web_events')?.source).toMatchObject({ compatibility: 'FULL_ALL' });
  });

  test("fails when a domain's streams disagree on Azure, where the domain's schema group holds one mode", () => {
    expect(
      problemsAfter((definition) => {
        const webEvents = definition.datasets.find((dataset: { name: string }) => dataset.name === 'web_events');
        definition.datasets.push({ ...webEvents, name: 'app_events', source: { ...webEvents.source, topic: 'app.events.v1', compatibility: 'FORWARD' } });
      }),
    ).toContainEqual(
      expect.stringContaining(
        '"FORWARD" differs from "BACKWARD" of dataset "web_events" in domain "marketing" (dataset "app_events"); ' +
          "on Azure a domain's streams share one Event Hubs schema group",
      ),
    );
  });
});
