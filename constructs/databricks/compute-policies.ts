import { ClusterPolicy } from '@cdktf/provider-databricks/lib/cluster-policy';
import { Construct } from 'constructs';
import { grantGroups, type WorkspaceScopedProps } from './workspace-scoped';

/** The kinds of compute the platform governs with a policy each. */
export const COMPUTE_KINDS = ['job', 'pipeline', 'interactive'] as const;
export type ComputeKind = (typeof COMPUTE_KINDS)[number];

export interface ComputePoliciesProps extends WorkspaceScopedProps {
  /** Policy name per kind (see `clusterPolicyName`). */
  readonly names: Readonly<Record<ComputeKind, string>>;
  /** Runtime job and interactive clusters must use (pipelines run the runtime Delta Live Tables picks). */
  readonly runtimeVersion: string;
  /** VM sizes clusters may use; the first is the default. */
  readonly nodeTypes: readonly string[];
  /** Autoscaling floor and ceiling of every cluster. */
  readonly minWorkers: number;
  readonly maxWorkers: number;
  /** Minutes an idle interactive cluster may stay up (the policy's ceiling and default). */
  readonly idleTimeoutMinutes: number;
  /** Tags every cluster must carry, fixed by the policy (cost allocation). */
  readonly costTags: Readonly<Record<string, string>>;
  /**
   * Whether job and pipeline clusters may use spot VMs (falling back to on-demand).
   * @default true
   */
  readonly spotWorkers?: boolean;
  /** Databricks groups allowed to use each policy. */
  readonly users: Readonly<Record<ComputeKind, readonly string[]>>;
}

type PolicyRule = Record<string, unknown>;

/**
 * The policy definition of one kind of compute. Pure, so that tests can read it as data: pinned node
 * types and runtime, worker limits of the environment, fixed cost tags, local disk encryption, Unity
 * Catalog access modes, and auto-termination for interactive clusters.
 */
export function computePolicyDefinition(kind: ComputeKind, props: Omit<ComputePoliciesProps, 'provider' | 'names' | 'users'>): Record<string, PolicyRule> {
  const problems: string[] = [];
  if (props.nodeTypes.length === 0) problems.push('nodeTypes must name at least one VM size');
  if (!Number.isInteger(props.minWorkers) || props.minWorkers < 1) problems.push(`minWorkers (${props.minWorkers}) must be a whole number of at least 1`);
  if (!Number.isInteger(props.maxWorkers) || props.maxWorkers < props.minWorkers)
    problems.push(`maxWorkers (${props.maxWorkers}) must be a whole number of at least minWorkers (${props.minWorkers})`);
  if (!Number.isInteger(props.idleTimeoutMinutes) || props.idleTimeoutMinutes < 10)
    problems.push(`idleTimeoutMinutes (${props.idleTimeoutMinutes}) must be a whole number of at least 10`);
  if (problems.length > 0) throw new Error(`ComputePolicies: ${problems.join('; ')}`);

  const nodeTypes = { type: 'allowlist', values: [...props.nodeTypes], defaultValue: props.nodeTypes[0] };
  const definition: Record<string, PolicyRule> = {
    node_type_id: nodeTypes,
    driver_node_type_id: nodeTypes,
    'autoscale.min_workers': { type: 'range', minValue: 1, maxValue: props.maxWorkers, defaultValue: props.minWorkers },
    'autoscale.max_workers': { type: 'range', minValue: 1, maxValue: props.maxWorkers, defaultValue: props.maxWorkers },
    num_workers: { type: 'forbidden', hidden: true },
    enable_local_disk_encryption: { type: 'fixed', value: true },
    'azure_attributes.availability': {
      type: 'fixed',
      value: kind !== 'interactive' && (props.spotWorkers ?? true) ? 'SPOT_WITH_FALLBACK_AZURE' : 'ON_DEMAND_AZURE',
    },
  };
  for (const [key, value] of Object.entries(props.costTags)) definition[`custom_tags.${key}`] = { type: 'fixed', value };
  if (kind === 'pipeline') {
    definition.cluster_type = { type: 'fixed', value: 'dlt' };
    return definition;
  }
  definition.spark_version = { type: 'fixed', value: props.runtimeVersion };
  definition.init_scripts = { type: 'forbidden' };
  if (kind === 'job') {
    definition.cluster_type = { type: 'fixed', value: 'job' };
    definition.data_security_mode = { type: 'fixed', value: 'SINGLE_USER' };
  } else {
    definition.cluster_type = { type: 'fixed', value: 'all-purpose' };
    definition.data_security_mode = { type: 'allowlist', values: ['USER_ISOLATION', 'SINGLE_USER'], defaultValue: 'USER_ISOLATION' };
    definition.autotermination_minutes = { type: 'range', minValue: 10, maxValue: props.idleTimeoutMinutes, defaultValue: props.idleTimeoutMinutes };
  }
  return definition;
}

/**
 * Cluster policies for job compute, Delta Live Tables pipelines and interactive use, each usable only by
 * the groups given (`CAN_USE`). Nobody else can create clusters: without the unrestricted-cluster
 * entitlement, a policy is the only way to compute.
 */
export class ComputePolicies extends Construct {
  private readonly policies = new Map<ComputeKind, ClusterPolicy>();

  constructor(scope: Construct, id: string, props: ComputePoliciesProps) {
    super(scope, id);
    for (const kind of COMPUTE_KINDS) {
      const policy = new ClusterPolicy(this, kind, {
        provider: props.provider,
        name: props.names[kind],
        description:
          `${kind} compute of the platform: pinned VM sizes${kind === 'pipeline' ? '' : ' and runtime'}, ` +
          `${props.minWorkers}-${props.maxWorkers} workers, fixed cost tags`,
        definition: JSON.stringify(computePolicyDefinition(kind, props)),
        maxClustersPerUser: kind === 'interactive' ? 1 : undefined,
      });
      this.policies.set(kind, policy);
      grantGroups(this, `${kind}-permissions`, props.provider, { clusterPolicyId: policy.id }, props.users[kind], 'CAN_USE');
    }
  }

  /** The policy of a kind of compute. */
  policy(kind: ComputeKind): ClusterPolicy {
    return this.policies.get(kind)!;
  }
}
