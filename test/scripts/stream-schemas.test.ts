import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const V2 = join('schema', 'streams', 'marketing', 'web_events', 'v2.avsc');

/** `npm run schemas:streams [-- --check]` on the definition in `folder`. */
function streamSchemas(folder: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'node_modules', '.bin', 'ts-node'), '--swc', join(ROOT, 'scripts', 'stream-schemas.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PLATFORM_CONFIG: join(folder, 'platform.yaml') },
  });
}

describe('npm run schemas:streams', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'stream-schemas-script-'));
    cpSync(join(ROOT, 'platform.yaml'), join(folder, 'platform.yaml'));
    cpSync(join(ROOT, 'schema', 'streams'), join(folder, 'schema', 'streams'), { recursive: true });
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const editDefinition = (edit: (yaml: string) => string) =>
    writeFileSync(join(folder, 'platform.yaml'), edit(readFileSync(join(folder, 'platform.yaml'), 'utf8')));

  test('the gate passes the committed registry', () => {
    const run = streamSchemas(ROOT, '--check');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain("stream schemas: 1 stream(s) registered and compatible (checked again by Apache Avro's checker)");
    expect(run.status).toBe(0);
  });

  test('a new optional column: the gate fails until v2 is registered, then passes and reports the field', () => {
    editDefinition((yaml) =>
      yaml.replace('      - { name: page_url, type: string }\n', '      - { name: page_url, type: string }\n      - { name: referrer, type: string }\n'),
    );
    const before = streamSchemas(folder, '--check');
    expect(before.status).toBe(1);
    expect(before.stderr).toContain('(field "referrer" added); registered versions are never edited: run `npm run schemas:streams`');

    const register = streamSchemas(folder);
    expect(register.stdout).toBe(`registered ${V2}\n`);
    expect(JSON.parse(readFileSync(join(folder, V2), 'utf8')).fields).toContainEqual({ name: 'referrer', type: ['null', 'string'], default: null });

    const after = streamSchemas(folder, '--check');
    expect(after.stdout).toContain('web_events (BACKWARD): 2 version(s)\n  v2: adds optional field referrer\n');
    expect(after.status).toBe(0);
  });

  test('a breaking column change is not registered and the gate names the dataset, the field and the rule', () => {
    editDefinition((yaml) => yaml.replace('      - { name: customer_id, type: bigint }\n', '      - { name: customer_id, type: string }\n'));
    const register = streamSchemas(folder);
    expect(register.status).toBe(1);
    expect(register.stderr).toContain(
      'not registered: dataset "web_events": v3 breaks BACKWARD compatibility with v2 (consumers on v3 cannot read messages written with v2): ' +
        'field "customer_id" (/fields/2/type/1): MISSING_UNION_BRANCH',
    );
    expect(existsSync(join(folder, 'schema', 'streams', 'marketing', 'web_events', 'v3.avsc'))).toBe(false);
    expect(streamSchemas(folder, '--check').status).toBe(1);
  });
});
