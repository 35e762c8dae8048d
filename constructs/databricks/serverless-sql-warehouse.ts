import { SqlEndpoint } from '@cdktf/provider-databricks/lib/sql-endpoint';
import { Construct } from 'constructs';
import { grantGroups, type WorkspaceScopedProps } from './workspace-scoped';

export const SQL_WAREHOUSE_SIZES = ['2X-Small', 'X-Small', 'Small', 'Medium', 'Large', 'X-Large', '2X-Large', '3X-Large', '4X-Large'] as const;
export type SqlWarehouseSize = (typeof SQL_WAREHOUSE_SIZES)[number];

export interface ServerlessSqlWarehouseProps extends WorkspaceScopedProps {
  /** Warehouse name (see `sqlWarehouseName`). */
  readonly name: string;
  /**
   * T-shirt size of each cluster.
   * @default '2X-Small'
   */
  readonly size?: SqlWarehouseSize;
  /**
   * Most clusters it scales out to under concurrent queries.
   * @default 1
   */
  readonly maxClusters?: number;
  /**
   * Idle minutes before it stops (serverless starts again in seconds).
   * @default 10
   */
  readonly autoStopMinutes?: number;
  /** Tags on its compute (cost allocation). */
  readonly costTags: Readonly<Record<string, string>>;
  /** Databricks groups allowed to run queries on it. */
  readonly users: readonly string[];
}

/** A serverless Pro SQL warehouse for dbt and BI: stops itself when idle, queries Unity Catalog only. */
export class ServerlessSqlWarehouse extends Construct {
  readonly warehouse: SqlEndpoint;

  constructor(scope: Construct, id: string, props: ServerlessSqlWarehouseProps) {
    super(scope, id);
    const autoStopMins = props.autoStopMinutes ?? 10;
    const maxNumClusters = props.maxClusters ?? 1;
    const size = props.size ?? '2X-Small';
    const problems: string[] = [];
    if (!(SQL_WAREHOUSE_SIZES as readonly string[]).includes(size)) problems.push(`size ("${size}") must be one of: ${SQL_WAREHOUSE_SIZES.join(', ')}`);
    if (!Number.isInteger(autoStopMins) || autoStopMins < 1 || autoStopMins > 120)
      problems.push(`autoStopMinutes (${autoStopMins}) must be a whole number from 1 to 120; a warehouse that never stops keeps billing`);
    if (!Number.isInteger(maxNumClusters) || maxNumClusters < 1 || maxNumClusters > 30)
      problems.push(`maxClusters (${maxNumClusters}) must be a whole number from 1 to 30`);
    if (problems.length > 0) throw new Error(`ServerlessSqlWarehouse: ${problems.join('; ')}`);
    this.warehouse = new SqlEndpoint(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      clusterSize: size,
      warehouseType: 'PRO',
      enableServerlessCompute: true,
      enablePhoton: true,
      autoStopMins,
      minNumClusters: 1,
      maxNumClusters,
      channel: { name: 'CHANNEL_NAME_CURRENT' },
      tags: { customTags: Object.entries(props.costTags).map(([key, value]) => ({ key, value })) },
    });
    grantGroups(this, 'Permissions', props.provider, { sqlEndpointId: this.warehouse.id }, props.users, 'CAN_USE');
  }
}
