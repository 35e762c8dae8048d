import type { Directory } from '@cdktf/provider-databricks/lib/directory';
import { MlflowExperiment } from '@cdktf/provider-databricks/lib/mlflow-experiment';
import { Permissions } from '@cdktf/provider-databricks/lib/permissions';
import { RegisteredModel } from '@cdktf/provider-databricks/lib/registered-model';
import { Construct } from 'constructs';
import type { Grant } from '../../lib/access/unity-catalog-grants';
import type { LakehouseCatalog } from './lakehouse-catalog';
import type { WorkspaceScopedProps } from './workspace-scoped';

export interface MlUseCaseProps extends WorkspaceScopedProps {
  /** Name of the registered model (a Unity Catalog identifier), unique in its schema. */
  readonly name: string;
  /** What the model predicts, for the experiment and the model's comment. */
  readonly description: string;
  /** Workspace path of its MLflow experiment (see `mlflowExperimentPath`). */
  readonly experimentPath: string;
  /**
   * The workspace folder the experiment goes in, when the platform creates it (MLflow does not create
   * missing parent folders); the experiment is created after it.
   * @default - the experiment's parent folder already exists
   */
  readonly experimentFolder?: Directory;
  /** The catalog whose `ml` schema holds the registered model. */
  readonly catalog: LakehouseCatalog;
  readonly catalogName: string;
  readonly schemaName: string;
  /** Fully qualified names of the gold feature tables, for the model's description. */
  readonly featureTables: readonly string[];
  /** Grants on the registered model, from the grant matrix. */
  readonly modelGrants: readonly Grant[];
  /** Databricks groups of the use case's owners and readers. */
  readonly ownerGroups: readonly string[];
  readonly readerGroups: readonly string[];
}

/**
 * An ML use case: an MLflow experiment where its owners track training runs (readers may look), and a
 * Unity Catalog registered model in the `ml` schema, trained on gold feature tables, with grants from
 * the definition (owners hold the model, readers may load it to score).
 */
export class MlUseCase extends Construct {
  readonly experiment: MlflowExperiment;
  readonly model: RegisteredModel;

  constructor(scope: Construct, id: string, props: MlUseCaseProps) {
    super(scope, id);
    const { provider } = props;
    this.experiment = new MlflowExperiment(this, 'Experiment', {
      provider,
      name: props.experimentPath,
      dependsOn: props.experimentFolder ? [props.experimentFolder] : undefined,
    });
    const access = [
      ...props.ownerGroups.map((groupName) => ({ groupName, permissionLevel: 'CAN_MANAGE' })),
      ...props.readerGroups.filter((group) => !props.ownerGroups.includes(group)).map((groupName) => ({ groupName, permissionLevel: 'CAN_READ' })),
    ];
    // Two permission levels on one object: one authoritative resource, not grantGroups twice.
    new Permissions(this, 'ExperimentPermissions', { provider, experimentId: this.experiment.id, accessControl: access });

    this.model = new RegisteredModel(this, 'Resource', {
      provider,
      name: props.name,
      catalogName: props.catalogName,
      schemaName: props.schemaName,
      comment: `${props.description}. Trained on ${props.featureTables.join(', ')}.`,
      dependsOn: [props.catalog.schema(props.schemaName)],
    });
    props.catalog.grant('ModelGrants', { model: this.model.id }, props.modelGrants, this);
  }
}
