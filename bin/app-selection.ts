import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentConfig, PlatformConfig } from '../lib/definition';
import { unknownChoiceMessage } from '../lib/pipelines';

/** The environment variable and the CDK context key that build one environment instead of all. */
export const ENVIRONMENT_VARIABLE = 'PLATFORM_ENV';
export const ENVIRONMENT_CONTEXT_KEY = 'env';

/**
 * The environments an app builds: every environment of the definition, or only the one named by `requested`
 * (`PLATFORM_ENV=dev`, `cdk synth -c env=dev`). An unknown name is an error that lists the environments.
 * @param from where the name came from, for the error (e.g. `PLATFORM_ENV`)
 */
export function selectedEnvironments(config: PlatformConfig, requested: string | undefined, from = ENVIRONMENT_VARIABLE): readonly EnvironmentConfig[] {
  if (requested === undefined || requested === '') return config.environments;
  const environment = config.environments.find((env) => env.name === requested);
  if (!environment)
    throw new Error(
      `${from}: ${unknownChoiceMessage(
        'environment',
        requested,
        config.environments.map((env) => env.name),
      )}`,
    );
  return [environment];
}

/** The environment asked for in the process environment (PLATFORM_ENV), if any. */
export function requestedEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[ENVIRONMENT_VARIABLE] || undefined;
}

/**
 * Where the policy gates keep per-template results (lib/policy TemplateResultCache): PLATFORM_GATE_CACHE if set
 * (`off` for none), else the user's cache folder (`$XDG_CACHE_HOME` or `~/.cache`), outside the repository.
 */
export function policyGateCacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.PLATFORM_GATE_CACHE;
  if (configured === 'off') return undefined;
  if (configured) return configured;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cloud-platform-solutions', 'policy-gates');
}
