/**
 * What `npm run deploy` and `npm run diff:cloud` share: reading the definition and the environment
 * argument (a clear error with a did-you-mean for an unknown one, exit 2 for a usage error).
 */
import type { EnvironmentConfig, PlatformConfig } from '../../lib/definition';
import { loadPlatformConfig } from '../../lib/config';
import { unknownChoiceMessage } from '../../lib/pipelines';

export class UsageProblem extends Error {}

/** The definition (PLATFORM_CONFIG or platform.yaml) and the environment the first positional argument names. */
export function environmentArgument(args: readonly string[], usage: string): { config: PlatformConfig; environment: EnvironmentConfig } {
  const positional = args.filter((arg) => !arg.startsWith('--'));
  if (positional.length !== 1)
    throw new UsageProblem(`expected one environment, got ${positional.length === 0 ? 'none' : positional.join(' ')}\nusage: ${usage}`);
  const config = loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'platform.yaml');
  const environment = config.environments.find((env) => env.name === positional[0]);
  if (!environment)
    throw new UsageProblem(
      unknownChoiceMessage(
        'environment',
        positional[0],
        config.environments.map((env) => env.name),
      ),
    );
  return { config, environment };
}

/** The value after `--name`, if given; a usage problem when the flag has no value. */
export function optionValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageProblem(`${name} needs a value`);
  return value;
}

/** Refuses options other than `known`. */
export function refuseUnknownOptions(args: readonly string[], known: readonly string[], withValue: readonly string[] = []): void {
  const values = new Set(withValue.map((name) => args[args.indexOf(name) + 1]));
  const unknown = args.filter((arg) => arg.startsWith('--') && !known.includes(arg) && !withValue.includes(arg) && !values.has(arg));
  if (unknown.length > 0) throw new UsageProblem(`unknown option ${unknown.join(', ')}; allowed: ${[...known, ...withValue].join(', ')}`);
}
