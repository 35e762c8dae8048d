import type { EnvironmentConfig, PlatformConfig } from './types';

/**
 * Whether `environment` deploys the gold API (`consumers.api.environments`, AWS only): the one answer the
 * plan (its `api` stack), the network (the API's endpoints), the catalog (the API's tag) and the Spark
 * manifest (which gold tables carry it) share.
 */
export function deploysGoldApi(config: Pick<PlatformConfig, 'consumers'>, environment: Pick<EnvironmentConfig, 'name' | 'aws'>): boolean {
  return environment.aws !== undefined && (config.consumers.api?.environments.includes(environment.name) ?? false);
}
