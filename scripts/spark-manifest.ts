/**
 * Prints the dataset manifest the Spark application reads (lib/pipelines/spark-manifest.ts), as JSON, for one
 * environment of a definition: what the processing stack deploys as spark/manifest.json, offline.
 *
 *   npx ts-node --swc scripts/spark-manifest.ts <environment> [--definition platform.yaml]
 *
 * The data-path tests (test/spark/test_engines_agree.py) run the application with it.
 */
import { ConfigError, loadPlatformConfig, runApp } from '../lib/config';
import { sparkManifest, type SparkManifest } from '../lib/pipelines/spark-manifest';

export const USAGE = 'usage: npx ts-node --swc scripts/spark-manifest.ts <environment> [--definition platform.yaml]';

/** The manifest of the environment the arguments name; undefined when they are not `<environment> [--definition file]`. */
export function manifestFor(args: readonly string[]): SparkManifest | undefined {
  const definitionIndex = args.indexOf('--definition');
  const file = definitionIndex >= 0 ? args[definitionIndex + 1] : 'platform.yaml';
  const positional = definitionIndex >= 0 ? [...args.slice(0, definitionIndex), ...args.slice(definitionIndex + 2)] : [...args];
  if (positional.length !== 1 || file === undefined) return undefined;
  const config = loadPlatformConfig(file);
  const environment = config.environments.find((env) => env.name === positional[0]);
  if (environment === undefined) {
    const known = config.environments.map((env) => env.name).join(', ');
    throw new ConfigError(file, [{ path: ['environments'], message: `has no environment "${positional[0]}"; environments: ${known}` }]);
  }
  return sparkManifest(config, environment);
}

if (require.main === module) {
  void runApp(() => {
    const manifest = manifestFor(process.argv.slice(2));
    if (manifest === undefined) {
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  });
}
