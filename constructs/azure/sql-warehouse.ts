import { MssqlDatabase } from '@cdktf/provider-azurerm/lib/mssql-database';
import { MssqlServer } from '@cdktf/provider-azurerm/lib/mssql-server';
import { MssqlServerExtendedAuditingPolicy } from '@cdktf/provider-azurerm/lib/mssql-server-extended-auditing-policy';
import { MssqlServerSecurityAlertPolicy } from '@cdktf/provider-azurerm/lib/mssql-server-security-alert-policy';
import { MssqlServerTransparentDataEncryption } from '@cdktf/provider-azurerm/lib/mssql-server-transparent-data-encryption';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { TerraformResourceLifecycle } from 'cdktf';
import { Construct } from 'constructs';
import { skipCheckov } from './checkov-skip';
import { DiagnosticSettings } from './diagnostic-settings';
import { KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER } from './platform-key-vault';
import { ServicePrivateEndpoint, type ServicePrivateEndpointProps } from './service-private-endpoint';
import { DataAzurermKeyVaultKey } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-key';

/** The warehouse database's default name. */
export const WAREHOUSE_DATABASE = 'warehouse';

/** The Entra ID group that administers the server. */
export interface SqlAdministrator {
  /** Display name of the group (the login name). */
  readonly name: string;
  /** Object id of the Entra ID group. */
  readonly objectId: string;
  readonly tenantId: string;
}

/** Compute of the database: serverless with auto-pause, or provisioned vCores. */
export type SqlCompute =
  { readonly kind: 'serverless'; readonly autoPauseMinutes: number; readonly maxVCores?: number } | { readonly kind: 'provisioned'; readonly vCores?: number };

export interface SqlWarehouseProps {
  readonly resourceGroup: ResourceGroup;
  /** Globally unique server name (see `sqlServerName`). */
  readonly serverName: string;
  /**
   * Name of the database.
   * @default WAREHOUSE_DATABASE ('warehouse')
   */
  readonly databaseName?: string;
  readonly administrator: SqlAdministrator;
  readonly compute: SqlCompute;
  /**
   * Days of point-in-time restore (1-35).
   * @default 7
   */
  readonly shortTermRetentionDays?: number;
  /**
   * Weeks a weekly full backup is kept; 0 keeps none.
   * @default 0
   */
  readonly longTermRetentionWeeks?: number;
  /**
   * Whether Microsoft Defender for SQL (threat detection) is on.
   * @default false
   */
  readonly defender?: boolean;
  /**
   * Who Defender emails about threats (the account admins are always emailed).
   * @default []
   */
  readonly alertEmails?: readonly string[];
  /**
   * The Key Vault key that protects transparent data encryption: its vault's ARM id and its name (the
   * server is given the key's current version, which the provider requires, and follows its rotation),
   * and the key's ARM id (the server's identity gets wrap/unwrap on that key alone).
   * @default - service-managed TDE key
   */
  readonly transparentDataEncryptionKey?: { readonly keyVaultId: string; readonly keyName: string; readonly keyResourceId: string };
  /**
   * Whether Terraform refuses to destroy the server and database (`prevent_destroy`).
   * @default false
   */
  readonly retainOnDelete?: boolean;
}

/**
 * An Azure SQL Database warehouse: a logical server that accepts Entra ID only (the admin is a group),
 * TLS 1.2, no public network access and no outbound traffic, audited to Log Analytics; one General
 * Purpose database, serverless with auto-pause or provisioned, with short- and long-term backups. Its
 * content is the gold layer: the Databricks dbt job's `warehouse_load` task (constructs/databricks/
 * warehouse-load.ts) replaces each gold table from Unity Catalog after every build.
 */
export class SqlWarehouse extends Construct {
  readonly server: MssqlServer;
  readonly database: MssqlDatabase;

  constructor(scope: Construct, id: string, props: SqlWarehouseProps) {
    super(scope, id);
    const shortTermRetentionDays = props.shortTermRetentionDays ?? 7;
    const longTermRetentionWeeks = props.longTermRetentionWeeks ?? 0;
    validate(props, shortTermRetentionDays, longTermRetentionWeeks);
    const lifecycle: TerraformResourceLifecycle | undefined = props.retainOnDelete ? { preventDestroy: true } : undefined;

    this.server = new MssqlServer(this, 'Resource', {
      name: props.serverName,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      version: '12.0',
      minimumTlsVersion: '1.2',
      publicNetworkAccessEnabled: false,
      outboundNetworkRestrictionEnabled: true,
      // Express vulnerability assessment keeps its results in the service, without a storage account key.
      expressVulnerabilityAssessmentEnabled: true,
      azureadAdministrator: {
        loginUsername: props.administrator.name,
        objectId: props.administrator.objectId,
        tenantId: props.administrator.tenantId,
        azureadAuthenticationOnly: true,
      },
      identity: { type: 'SystemAssigned' },
      lifecycle,
    });
    skipCheckov(
      this.server,
      {
        id: 'CKV2_AZURE_2',
        reason:
          'Express vulnerability assessment is on (express_vulnerability_assessment_enabled) and needs ' +
          'no storage account; checkov only knows the classic storage-backed setting',
      },
      {
        id: 'CKV_AZURE_24',
        reason:
          'Audit events go only to Log Analytics (log_monitoring_enabled, through the master database diagnostic settings); ' +
          'retention_in_days applies only to a storage-account target, which this server has none of. The workspace keeps ' +
          'them azure.monitoring.logRetentionDays, which validation holds at or above audit.retentionDays (90 days or more)',
      },
    );

    const compute = props.compute;
    this.database = new MssqlDatabase(this, 'Database', {
      name: props.databaseName ?? WAREHOUSE_DATABASE,
      serverId: this.server.id,
      skuName: compute.kind === 'serverless' ? `GP_S_Gen5_${compute.maxVCores ?? 2}` : `GP_Gen5_${compute.vCores ?? 2}`,
      autoPauseDelayInMinutes: compute.kind === 'serverless' ? compute.autoPauseMinutes : undefined,
      minCapacity: compute.kind === 'serverless' ? 0.5 : undefined,
      storageAccountType: 'Geo',
      transparentDataEncryptionEnabled: true,
      ledgerEnabled: false,
      shortTermRetentionPolicy: { retentionDays: shortTermRetentionDays },
      longTermRetentionPolicy: longTermRetentionWeeks > 0 ? { weeklyRetention: `P${longTermRetentionWeeks}W` } : undefined,
      lifecycle,
    });
    skipCheckov(this.database, {
      id: 'CKV_AZURE_224',
      reason:
        'A ledger database makes every table a ledger table: each run of the gold load (the dbt job warehouse_load task) deletes and ' +
        'rewrites every gold table and drops its staging tables, so the history tables would keep a full copy of gold per run and ' +
        'dropped ledger tables are retained for good. The rows are copies of the Unity Catalog gold tables, whose changes are ' +
        'in the Delta table history; the load writes as one managed identity, audited to Log Analytics',
    });
    skipCheckov(this.database, {
      id: 'CKV_AZURE_229',
      reason:
        'Zone redundancy keeps a database up through an availability-zone outage, at a higher General Purpose price (and in selected ' +
        'regions only). The warehouse holds no data of its own: the dbt job warehouse_load task replaces every gold table from the ' +
        'Unity Catalog gold tables on each run, so a zone outage delays BI until the zone returns or a geo-restore (backups are geo-redundant)',
    });

    // Auditing goes to Log Analytics (the server's master database diagnostic settings), not to a
    // storage account that would need its access key.
    new MssqlServerExtendedAuditingPolicy(this, 'Auditing', { serverId: this.server.id, logMonitoringEnabled: true, enabled: true });
    const alerts = new MssqlServerSecurityAlertPolicy(this, 'Defender', {
      resourceGroupName: props.resourceGroup.name,
      serverName: this.server.name,
      state: props.defender ? 'Enabled' : 'Disabled',
      emailAccountAdmins: props.defender ? true : undefined,
      emailAddresses: props.defender && props.alertEmails?.length ? [...props.alertEmails] : undefined,
    });
    if (!props.defender) {
      const reason = 'Microsoft Defender for SQL is off because the environment does not ask for it (azure.warehouse.defender), so it sends no alerts';
      skipCheckov(alerts, { id: 'CKV_AZURE_26', reason }, { id: 'CKV_AZURE_27', reason });
    }

    if (props.transparentDataEncryptionKey) {
      const access = new RoleAssignment(this, 'TdeKeyAccess', {
        scope: props.transparentDataEncryptionKey.keyResourceId,
        roleDefinitionName: KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
        principalId: this.server.identity.principalId,
        principalType: 'ServicePrincipal',
        description: 'Lets the warehouse server wrap and unwrap its TDE protector only',
      });
      // azurerm wants a versioned key id here; the key's current version is read at plan time, and
      // auto-rotation keeps the server on the newest version afterwards.
      const key = new DataAzurermKeyVaultKey(this, 'TdeKeyVersion', {
        name: props.transparentDataEncryptionKey.keyName,
        keyVaultId: props.transparentDataEncryptionKey.keyVaultId,
      });
      new MssqlServerTransparentDataEncryption(this, 'Tde', {
        serverId: this.server.id,
        keyVaultKeyId: key.id,
        autoRotationEnabled: true,
        dependsOn: [access],
      });
    }
  }

  /** A private endpoint for the server (`sqlServer` sub-resource). */
  addPrivateEndpoint(options: Pick<ServicePrivateEndpointProps, 'name' | 'subnetId' | 'privateDnsZoneId'>): ServicePrivateEndpoint {
    return new ServicePrivateEndpoint(this, 'server-endpoint', {
      ...options,
      resourceGroupName: this.server.resourceGroupName,
      location: this.server.location,
      targetResourceId: this.server.id,
      subresource: 'sqlServer',
    });
  }

  /** Sends the server's audit events (through master) and the database's logs and metrics to Log Analytics. */
  addDiagnostics(logAnalyticsWorkspaceId: string): void {
    new DiagnosticSettings(this, 'AuditDiagnostics', {
      targetResourceId: `${this.server.id}/databases/master`,
      logAnalyticsWorkspaceId,
      logCategoryGroups: ['audit'],
      metricCategories: [],
    });
    new DiagnosticSettings(this, 'DatabaseDiagnostics', { targetResourceId: this.database.id, logAnalyticsWorkspaceId });
  }
}

function validate(props: SqlWarehouseProps, shortTermRetentionDays: number, longTermRetentionWeeks: number): void {
  const problems: string[] = [];
  if (!Number.isInteger(shortTermRetentionDays) || shortTermRetentionDays < 1 || shortTermRetentionDays > 35)
    problems.push(`shortTermRetentionDays (${shortTermRetentionDays}) must be a whole number of days from 1 to 35`);
  if (!Number.isInteger(longTermRetentionWeeks) || longTermRetentionWeeks < 0 || longTermRetentionWeeks > 520)
    problems.push(`longTermRetentionWeeks (${longTermRetentionWeeks}) must be a whole number of weeks from 0 to 520`);
  if (props.compute.kind === 'serverless' && (!Number.isInteger(props.compute.autoPauseMinutes) || props.compute.autoPauseMinutes < 15)) {
    problems.push(`compute.autoPauseMinutes (${props.compute.autoPauseMinutes}) must be a whole number of minutes, at least 15`);
  }
  if (problems.length > 0) throw new Error(`SqlWarehouse: ${problems.join('; ')}`);
}
