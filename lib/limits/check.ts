import type { PlatformConfig } from '../definition';
import { domainShards, schemaVersionsOf, shardNameProblems } from './domain-shards';
import { type LimitContext, SERVICE_LIMITS, type ServiceLimit } from './service-limits';

/** A use of a service limit beyond its value: where, and the message that names the limit, the use and the fix. */
export interface ServiceLimitProblem {
  readonly limit: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** The context the limits' use functions read: the definition and the shards of each domain. */
export function limitContext(config: PlatformConfig): LimitContext {
  return { config, shards: domainShards(config), schemaVersions: schemaVersionsOf(config) };
}

/** Every use of `limit` beyond its value in `context`. */
export function limitProblems(limit: ServiceLimit, context: LimitContext): ServiceLimitProblem[] {
  return limit.uses(context).flatMap((use) => {
    const allowed = use.allowed ?? limit.value;
    if (use.used <= allowed) return [];
    const raise = limit.increase ? ` (raisable: ${limit.increase.how}${limit.increase.quotaCode ? `, quota ${limit.increase.quotaCode}` : ''})` : ' (fixed)';
    return [
      {
        limit: limit.id,
        path: use.path,
        message:
          `${use.subject} needs ${use.used.toLocaleString('en-US')} ${limit.unit}, beyond ${limit.service}'s limit of ` +
          `${allowed.toLocaleString('en-US')} ${limit.limit}${raise}, ${limit.source}: ${use.fix}`,
      },
    ];
  });
}

/**
 * Every service limit of the table that the definition would break, each once per place it breaks it, and
 * any shard of a large domain whose stack names another domain already has.
 */
export function serviceLimitProblems(config: PlatformConfig, limits: readonly ServiceLimit[] = SERVICE_LIMITS): ServiceLimitProblem[] {
  const context = limitContext(config);
  const clashes = shardNameProblems(config).map((problem) => ({
    limit: 'naming',
    path: ['datasets', config.datasets.findIndex((dataset) => dataset.name === problem.dataset), 'domain'],
    message: problem.message,
  }));
  return [...clashes, ...limits.flatMap((limit) => limitProblems(limit, context))];
}
