import type { BronzeLockMode, EventHubsSku, Stage, StagePolicy } from '../definition';

/**
 * Everything an environment's stage decides, in one table: first the defaults a definition may
 * override per environment (applied by resolve.ts with `??`), then the policy it may not (resolved into
 * `EnvironmentConfig.policy` and read by the stacks). The schema's descriptions quote these values.
 */

/** Stage-dependent defaults of fields the definition may set per environment. */
export interface StageDefaults {
  /** dataProtection.softDeleteDays: days deleted data stays recoverable. */
  readonly softDeleteDays: number;
  /** dataProtection.bronzeLockMode: whether anyone may lift bronze's retention lock (governance) or nobody (compliance). */
  readonly bronzeLockMode: BronzeLockMode;
  /** aws.kubernetes.enabled: whether the environment gets EKS with EMR on EKS. */
  readonly kubernetesEnabled: boolean;
  /** azure.network.addressSpace. */
  readonly azureAddressSpace: string;
  /**
   * audit.retentionDays: days audit logs are kept (at least 90 on every stage); also the default of
   * azure.monitoring.logRetentionDays, since the audit logs share the workspace.
   */
  readonly auditRetentionDays: number;
  /** azure.streaming.sku. */
  readonly eventHubsSku: EventHubsSku;
  /** azure.warehouse.shortTermRetentionDays (point-in-time restore). */
  readonly warehouseShortTermRetentionDays: number;
  /** azure.warehouse.longTermRetentionWeeks (weekly full backups kept). */
  readonly warehouseLongTermRetentionWeeks: number;
  /** azure.warehouse.defender: Microsoft Defender for SQL. */
  readonly sqlDefender: boolean;
}

export const STAGE_DEFAULTS: Readonly<Record<Stage, StageDefaults>> = {
  development: {
    softDeleteDays: 7,
    bronzeLockMode: 'governance',
    kubernetesEnabled: false,
    azureAddressSpace: '10.10.0.0/16',
    auditRetentionDays: 90,
    eventHubsSku: 'Standard',
    warehouseShortTermRetentionDays: 7,
    warehouseLongTermRetentionWeeks: 0,
    sqlDefender: false,
  },
  staging: {
    softDeleteDays: 7,
    bronzeLockMode: 'governance',
    kubernetesEnabled: true,
    azureAddressSpace: '10.20.0.0/16',
    auditRetentionDays: 90,
    eventHubsSku: 'Standard',
    warehouseShortTermRetentionDays: 7,
    warehouseLongTermRetentionWeeks: 0,
    sqlDefender: false,
  },
  production: {
    softDeleteDays: 30,
    bronzeLockMode: 'compliance',
    kubernetesEnabled: true,
    azureAddressSpace: '10.30.0.0/16',
    auditRetentionDays: 365,
    eventHubsSku: 'Premium',
    warehouseShortTermRetentionDays: 35,
    warehouseLongTermRetentionWeeks: 12,
    sqlDefender: true,
  },
};

/** What the stage alone decides. */
export const STAGE_POLICY: Readonly<Record<Stage, StagePolicy>> = {
  development: {
    awsAvailabilityZones: 2,
    terminationProtection: false,
    streamingJobWorkers: 2,
    customerManagedKeys: false,
    keyVaultSoftDeleteDays: { min: 7, max: 90 }, // Azure allows 7 to 90
    sqlWarehouseCompute: 'serverless',
    databricks: {
      spotWorkers: true,
      sqlWarehouseSize: '2X-Small',
      sqlWarehouseMaxClusters: 1,
      continuousPipelines: false,
      developmentPipelines: true,
      verboseAuditLogs: false,
    },
  },
  staging: {
    awsAvailabilityZones: 2,
    terminationProtection: false,
    streamingJobWorkers: 2,
    customerManagedKeys: false,
    keyVaultSoftDeleteDays: { min: 7, max: 90 }, // Azure allows 7 to 90
    sqlWarehouseCompute: 'serverless',
    databricks: {
      spotWorkers: true,
      sqlWarehouseSize: 'X-Small',
      sqlWarehouseMaxClusters: 1,
      continuousPipelines: false,
      developmentPipelines: false,
      verboseAuditLogs: false,
    },
  },
  production: {
    awsAvailabilityZones: 3,
    terminationProtection: true,
    streamingJobWorkers: 4,
    customerManagedKeys: true,
    keyVaultSoftDeleteDays: { min: 90, max: 90 },
    sqlWarehouseCompute: 'provisioned',
    databricks: {
      spotWorkers: false,
      sqlWarehouseSize: 'Small',
      sqlWarehouseMaxClusters: 2,
      continuousPipelines: true,
      developmentPipelines: false,
      verboseAuditLogs: true,
    },
  },
};
