/**
 * Prints the bronze tables plan (lib/pipelines/bronze-tables-plan.ts) the lakehouse stack deploys for
 * bronze_tables.py, as JSON, for a catalog, a bronze filesystem URL and a URL of bronze's working data (the
 * checkpoints) of your choice, offline:
 *
 *   npx ts-node --swc scripts/bronze-tables-plan.ts --catalog <catalog> --bronze-url <url ending in /> \
 *     --bronze-work-url <url ending in /> [--definition platform.yaml]
 *
 * The data-path tests (test/streaming/test_bronze_tables.py) run the step with it over local folders.
 */
import { loadPlatformConfig, runApp } from '../lib/config';
import { dataFactoryBronzeTablesPlan } from '../constructs/databricks/bronze-tables';
import type { BronzeTablesPlan } from '../lib/pipelines';

export const USAGE =
  'usage: npx ts-node --swc scripts/bronze-tables-plan.ts --catalog <catalog> --bronze-url <url ending in /> ' +
  '--bronze-work-url <url ending in /> [--definition platform.yaml]';

/** The plan the arguments ask for; undefined when they are not the usage's. */
export function planFor(args: readonly string[]): BronzeTablesPlan | undefined {
  const options = new Map<string, string>();
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (!['--catalog', '--bronze-url', '--bronze-work-url', '--definition'].includes(flag) || value === undefined || options.has(flag)) return undefined;
    options.set(flag, value);
  }
  const catalog = options.get('--catalog');
  const bronzeUrl = options.get('--bronze-url');
  const bronzeWorkUrl = options.get('--bronze-work-url');
  if (catalog === undefined || bronzeUrl === undefined || bronzeWorkUrl === undefined) return undefined;
  return dataFactoryBronzeTablesPlan(loadPlatformConfig(options.get('--definition') ?? 'platform.yaml'), { catalog, bronzeUrl, bronzeWorkUrl });
}

if (require.main === module) {
  void runApp(() => {
    const plan = planFor(process.argv.slice(2));
    if (plan === undefined) {
      process.stderr.write(`${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  });
}
