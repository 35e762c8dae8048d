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

/** Every use of `limit` beyond its value in `context`, or beyond the raised value the definition declares (`serviceQuotas`). */
export function limitProblems(limit: ServiceLimit, context: LimitContext): ServiceLimitProblem[] {
  const raised = context.config.serviceQuotas?.[limit.id];
  return limit.uses(context).flatMap((use) => {
    const allowed = use.allowed ?? raised ?? limit.value;
    if (use.used <= allowed) return [];
    const raisedHere = raised !== undefined && use.allowed === undefined;
    const raise = raisedHere
      ? ` (raised from ${limit.value.toLocaleString('en-US')} by serviceQuotas; raisable further: ${limit.increase?.how})`
      : limit.increase
        ? ` (raisable: ${limit.increase.how}${limit.increase.quotaCode ? `, quota ${limit.increase.quotaCode}` : ''})`
        : ' (fixed)';
    const declare = limit.increase ? `; once raised, declare the new value as serviceQuotas.${limit.id} in the definition` : '';
    return [
      {
        limit: limit.id,
        path: use.path,
        message:
          `${use.subject} needs ${use.used.toLocaleString('en-US')} ${limit.unit}, beyond ${limit.service}'s limit of ` +
          `${allowed.toLocaleString('en-US')} ${limit.limit}${raise}, ${limit.source}: ${use.fix}${declare}`,
      },
    ];
  });
}

/**
 * Every service limit of the table that the definition would break, each once per place it breaks it, and
 * any shard of a large domain whose stack names another domain already has.
 */
export function serviceLimitProblems(config: PlatformConfig, limits: readonly ServiceLimit[] = SERVICE_LIMITS): ServiceLimitProblem[] {
  const quotas = serviceQuotaProblems(config);
  if (quotas.length > 0) return quotas;
  const context = limitContext(config);
  const clashes = shardNameProblems(config).map((problem) => ({
    limit: 'naming',
    path: ['datasets', config.datasets.findIndex((dataset) => dataset.name === problem.dataset), 'domain'],
    message: problem.message,
  }));
  return [...clashes, ...limits.flatMap((limit) => limitProblems(limit, context))];
}

/**
 * The `serviceQuotas` entries that cannot stand: an id that is not a limit of the table, a limit nobody can
 * raise, or a value not above the documented default (nothing to declare).
 */
export function serviceQuotaProblems(config: Pick<PlatformConfig, 'serviceQuotas'>): ServiceLimitProblem[] {
  const raisable = SERVICE_LIMITS.filter((limit) => limit.increase).map((limit) => limit.id);
  return Object.entries(config.serviceQuotas ?? {}).flatMap(([id, value]) => {
    const limit = SERVICE_LIMITS.find((candidate) => candidate.id === id);
    const problem = (message: string) => [{ limit: id, path: ['serviceQuotas', id], message }];
    if (!limit) return problem(`"${id}" is not a limit of lib/limits/service-limits.ts; raisable limits: ${raisable.join(', ')}`);
    if (!limit.increase)
      return problem(`${limit.service}'s ${limit.limit} (${limit.value.toLocaleString('en-US')}) cannot be raised; raisable limits: ${raisable.join(', ')}`);
    if (value <= limit.value)
      return problem(
        `${value.toLocaleString('en-US')} is not above the default of ${limit.value.toLocaleString('en-US')} ${limit.unit}: declare only a raised quota`,
      );
    return [];
  });
}
