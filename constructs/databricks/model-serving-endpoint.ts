import { DataDatabricksRegisteredModel } from '@cdktf/provider-databricks/lib/data-databricks-registered-model';
import { ModelServing } from '@cdktf/provider-databricks/lib/model-serving';
import { Permissions } from '@cdktf/provider-databricks/lib/permissions';
import type { RegisteredModel } from '@cdktf/provider-databricks/lib/registered-model';
import { Construct } from 'constructs';
import { CHAMPION_ALIAS } from '../../lib/ml';
import { ML_SERVING_WORKLOAD_SIZES, type MlServingWorkloadSize } from '../../lib/definition';
import type { WorkspaceScopedProps } from './workspace-scoped';

export interface ModelServingEndpointProps extends WorkspaceScopedProps {
  /** Endpoint name (see `servingEndpointName`); it is the endpoint's URL path. */
  readonly name: string;
  /** The Unity Catalog model whose version the endpoint serves. */
  readonly model: RegisteredModel;
  /**
   * The model alias whose version is served; moving the alias and applying again serves the new version.
   * @default CHAMPION_ALIAS (the training job moves it to its best version)
   */
  readonly alias?: string;
  /**
   * Compute of the endpoint (concurrent requests: Small 4, Medium 16, Large 64).
   * @default 'Small'
   */
  readonly workloadSize?: MlServingWorkloadSize;
  /**
   * Whether the idle endpoint scales to zero (the first request after idling waits for a cold start).
   * @default true
   */
  readonly scaleToZero?: boolean;
  /**
   * Serverless budget policy that tags the endpoint's usage with the cost-allocation tags.
   * @default - the workspace's default budget policy
   */
  readonly budgetPolicyId?: string;
  /**
   * Catalog and schema of the inference table (every request and response, for monitoring and retraining).
   * @default - no inference table
   */
  readonly inferenceTable?: { readonly catalog: string; readonly schema: string };
  /** Databricks groups that may query the endpoint (`CAN_QUERY`). */
  readonly queriers: readonly string[];
  /** Databricks groups that manage it (`CAN_MANAGE`); a group in both gets `CAN_MANAGE`. */
  readonly managers: readonly string[];
  /**
   * Tags of the endpoint.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A serverless model-serving endpoint of the version of a Unity Catalog model that holds an alias (the
 * champion by default). The version is read from the registry when Terraform applies; until a training
 * run has set the alias, the apply stops at this endpoint with an error that says so. Querying needs
 * `CAN_QUERY` on the endpoint only (the endpoint runs the model as its creator); its managers may change
 * and stop it. With `inferenceTable`, every request and response lands in a Unity Catalog table.
 */
export class ModelServingEndpoint extends Construct {
  readonly endpoint: ModelServing;
  readonly permissions: Permissions;
  /** The served version as Terraform reads it (the alias's version number). */
  readonly servedVersion: string;

  constructor(scope: Construct, id: string, props: ModelServingEndpointProps) {
    super(scope, id);
    const alias = props.alias ?? CHAMPION_ALIAS;
    const workloadSize = props.workloadSize ?? 'Small';
    if (!ML_SERVING_WORKLOAD_SIZES.includes(workloadSize))
      throw new Error(`ModelServingEndpoint ${props.name}: workloadSize "${workloadSize}" is not one of ${ML_SERVING_WORKLOAD_SIZES.join(', ')}`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias))
      throw new Error(`ModelServingEndpoint ${props.name}: alias "${alias}" is not a model alias (letters, digits and _, not starting with a digit)`);
    if (props.queriers.length + props.managers.length === 0)
      throw new Error(`ModelServingEndpoint ${props.name}: queriers and managers are both empty; nobody but the workspace admins could use it`);

    // Read after the model exists (its id is known only then), so that the first apply can create both.
    const registered = new DataDatabricksRegisteredModel(this, 'Model', { provider: props.provider, fullName: props.model.id, includeAliases: true });
    const versions = `[for entry in ${registered.fqn}.model_info[0].aliases : entry.version_num if entry.alias_name == "${alias}"]`;
    this.servedVersion = `\${one(${versions})}`;
    const entityName = `${props.model.catalogName}.${props.model.schemaName}.${props.model.name}`;
    this.endpoint = new ModelServing(this, 'Resource', {
      provider: props.provider,
      name: props.name,
      budgetPolicyId: props.budgetPolicyId,
      config: {
        servedEntities: [
          {
            name: props.model.name,
            entityName,
            entityVersion: this.servedVersion,
            workloadSize,
            scaleToZeroEnabled: props.scaleToZero ?? true,
          },
        ],
      },
      aiGateway: props.inferenceTable
        ? {
            inferenceTableConfig: {
              enabled: true,
              catalogName: props.inferenceTable.catalog,
              schemaName: props.inferenceTable.schema,
              tableNamePrefix: props.model.name,
            },
          }
        : undefined,
      tags: Object.entries(props.tags ?? {}).map(([key, value]) => ({ key, value })),
      lifecycle: {
        precondition: [
          {
            condition: `\${length(${versions}) == 1}`,
            errorMessage:
              `No version of ${entityName} has the alias ${alias}, so endpoint ${props.name} has nothing to serve: run the model's training job ` +
              `(it sets ${alias} on its best version) or set the alias in Catalog Explorer, then apply again.`,
          },
        ],
      },
    });
    const managers = [...new Set(props.managers)];
    this.permissions = new Permissions(this, 'Permissions', {
      provider: props.provider,
      servingEndpointId: this.endpoint.servingEndpointId,
      accessControl: [
        ...managers.map((groupName) => ({ groupName, permissionLevel: 'CAN_MANAGE' })),
        ...[...new Set(props.queriers)].filter((group) => !managers.includes(group)).map((groupName) => ({ groupName, permissionLevel: 'CAN_QUERY' })),
      ],
    });
  }
}
