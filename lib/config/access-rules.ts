import { layerAccess, type Layer, type TableAccess } from '../definition';
import type { ConfigIssue } from './issue';
import type { PlatformDefinition } from './schema';

/**
 * Groups that administer a service reaching the lake's data hold more than grants say: a Lake Formation
 * administrator may grant itself any table; the EKS administrator may run pods as the Spark job role,
 * which reads and writes every table; the Synapse workspace's Entra admin acts as the workspace identity,
 * which reads the gold filesystem. Each must already have that access in the definition, or the
 * effective access of the cloud would exceed the definition's.
 */
const ADMINISTERED: ReadonlyArray<{
  readonly path: readonly string[];
  readonly service: string;
  readonly layers: readonly Layer[];
  readonly needs: TableAccess;
  readonly group: (env: PlatformDefinition['environments'][string]) => string | undefined;
}> = [
  {
    path: ['aws', 'lakeAdminGroup'],
    service: 'Lake Formation, which lets it grant itself every table',
    layers: ['bronze', 'silver', 'gold'],
    needs: 'own',
    group: (env) => (env.clouds.includes('aws') ? env.aws?.lakeAdminGroup : undefined),
  },
  {
    path: ['aws', 'kubernetes', 'adminGroup'],
    service: 'the EKS cluster, whose Spark job role reads and writes every table',
    layers: ['bronze', 'silver', 'gold'],
    needs: 'own',
    // The cluster exists outside development unless turned off (see the schema's default).
    group: (env) => (env.clouds.includes('aws') && (env.aws?.kubernetes?.enabled ?? env.stage !== 'development') ? env.aws?.kubernetes?.adminGroup : undefined),
  },
  {
    path: ['azure', 'analytics', 'adminGroup'],
    service: 'the Synapse workspace, whose identity reads the whole gold filesystem',
    layers: ['gold'],
    needs: 'read',
    group: (env) => (env.clouds.includes('azure') ? env.azure?.analytics?.adminGroup : undefined),
  },
];

/** Admin groups of lake services that the definition does not give every dataset they can reach. */
export function accessIssues(definition: PlatformDefinition): ConfigIssue[] {
  const known = (groups: readonly string[] | undefined) => (groups ?? []).every((group) => group in definition.groups);
  // A dataset naming an undefined group is reported by the dataset rules; the fix there decides the rest.
  const coherent = definition.datasets.filter(
    (dataset) => known(dataset.owners) && known(dataset.readers?.bronze) && known(dataset.readers?.silver) && known(dataset.readers?.gold),
  );
  const datasets = coherent.map((dataset) => ({
    name: dataset.name,
    access: {
      owners: dataset.owners,
      readers: { bronze: dataset.readers?.bronze ?? [], silver: dataset.readers?.silver ?? [], gold: dataset.readers?.gold ?? [] },
    },
  }));
  const issues: ConfigIssue[] = [];
  for (const [name, env] of Object.entries(definition.environments)) {
    for (const rule of ADMINISTERED) {
      const group = rule.group(env);
      if (group === undefined || !(group in definition.groups)) continue; // unknown groups are reported by their own rules
      const lacking = datasets.filter(({ access }) =>
        rule.layers.some((layer) => {
          const held = layerAccess(access, layer).get(group);
          return held === undefined || (rule.needs === 'own' && held !== 'own');
        }),
      );
      if (lacking.length === 0) continue;
      const what = rule.needs === 'own' ? 'own every dataset' : `own or read every dataset in ${rule.layers.join(', ')}`;
      issues.push({
        path: ['environments', name, ...rule.path],
        message:
          `"${group}" administers ${rule.service}; it must ${what}, and the definition does not give it: ` +
          `${lacking.map((dataset) => dataset.name).join(', ')} (make it an owner${rule.needs === 'read' ? ' or reader' : ''}, or name another group)`,
      });
    }
  }
  return issues;
}
