import { join } from 'node:path';
import { ConfigError } from '../../lib/config';
import { sparkManifest } from '../../lib/pipelines/spark-manifest';
import { manifestFor } from '../../scripts/spark-manifest';
import { EXAMPLE_DEFINITION_FILE, environmentOf, exampleConfig } from '../fixtures/platform';

describe('scripts/spark-manifest.ts', () => {
  test('gives the manifest the processing stack deploys for the named environment', () => {
    const config = exampleConfig();
    expect(manifestFor(['dev', '--definition', EXAMPLE_DEFINITION_FILE])).toEqual(sparkManifest(config, environmentOf(config, 'dev')));
    expect(manifestFor(['--definition', EXAMPLE_DEFINITION_FILE, 'prod'])?.environment).toBe('prod');
  });

  test('gives nothing (the usage) unless exactly one environment is named', () => {
    expect(manifestFor([])).toBeUndefined();
    expect(manifestFor(['dev', 'prod'])).toBeUndefined();
    expect(manifestFor(['dev', '--definition'])).toBeUndefined();
  });

  test('fails naming the environment and the known ones', () => {
    expect(() => manifestFor(['qa', '--definition', EXAMPLE_DEFINITION_FILE])).toThrow(ConfigError);
    expect(() => manifestFor(['qa', '--definition', EXAMPLE_DEFINITION_FILE])).toThrow('has no environment "qa"; environments: dev, staging, prod');
  });

  test('fails naming a definition file that does not exist', () => {
    expect(() => manifestFor(['dev', '--definition', join(__dirname, 'missing.yaml')])).toThrow('cannot read the definition file: no such file');
  });
});
