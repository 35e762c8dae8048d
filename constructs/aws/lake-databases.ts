import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnDatabase } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { LAYERS, type Layer } from '../../lib/definition';
import { layerConstructId } from './layer-construct-id';

export interface LakeDatabasesProps {
  /** Glue database name per layer (see `glueDatabaseName`). */
  readonly databaseNames: Readonly<Record<Layer, string>>;
  /** `s3://` location of each layer (its bucket), the default location of its tables. */
  readonly locations: Readonly<Record<Layer, string>>;
  /**
   * What happens to the databases (and the table definitions in them) when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The Glue Data Catalog database of each medallion layer. New tables get no default permissions
 * (`CreateTableDefaultPermissions` is empty), so `IAMAllowedPrincipals` never gains access and Lake
 * Formation grants are the only way to a table.
 */
export class LakeDatabases extends Construct {
  private readonly databases: Record<Layer, CfnDatabase>;

  constructor(scope: Construct, id: string, props: LakeDatabasesProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    const databases = {} as Record<Layer, CfnDatabase>;
    for (const layer of LAYERS) {
      const database = new CfnDatabase(this, layerConstructId(layer), {
        catalogId,
        databaseInput: {
          name: props.databaseNames[layer],
          description: `The ${layer} layer of the data lake`,
          locationUri: props.locations[layer],
          createTableDefaultPermissions: [],
        },
      });
      database.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
      databases[layer] = database;
    }
    this.databases = databases;
  }

  /** The database of a layer. */
  databaseFor(layer: Layer): CfnDatabase {
    return this.databases[layer];
  }
}
