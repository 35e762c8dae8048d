import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadPlatformConfig } from '../../lib/config';
import { EXAMPLE_DEFINITION_FILE } from '../fixtures/platform';

function fileWith(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'platform-')), 'platform.yaml');
  writeFileSync(file, text);
  return file;
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadPlatformConfig', () => {
  test('loads the example definition', () => {
    const config = loadPlatformConfig(EXAMPLE_DEFINITION_FILE);
    expect(config.prefix).toBe('acme');
    expect(config.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(new Set(config.datasets.map((d) => d.source.kind))).toEqual(new Set(['database', 'api', 'stream', 'files']));
  });

  test('returns a frozen configuration', () => {
    const config = loadPlatformConfig(EXAMPLE_DEFINITION_FILE);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.environments[0].lifecycle.bronze)).toBe(true);
  });

  test('fails when the file does not exist', () => {
    expect(messageOf(() => loadPlatformConfig('/nonexistent/platform.yaml'))).toBe(
      '/nonexistent/platform.yaml: 1 problem in the platform definition:\n  - (definition root): cannot read the definition file: no such file',
    );
  });

  test('fails when the YAML is malformed, naming line and column', () => {
    expect(messageOf(() => loadPlatformConfig(fileWith('platform:\n  prefix: [acme\n')))).toMatch(/YAML line \d+, column \d+/);
  });

  test('fails when a key is given twice', () => {
    expect(messageOf(() => loadPlatformConfig(fileWith('platform:\n  prefix: a\n  prefix: b\n')))).toContain('YAML line 3, column 3: Map keys must be unique');
  });

  test('fails when aliases expand without bound, without a stack trace', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    expect(messageOf(() => loadPlatformConfig(fileWith(bomb)))).toContain('YAML cannot be read: Excessive alias count');
  });

  test('fails when the file is empty', () => {
    expect(messageOf(() => loadPlatformConfig(fileWith('')))).toContain('is empty; expected the platform definition');
  });
});
