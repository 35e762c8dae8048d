/**
 * The access matrices of one environment: the definition's, and each cloud's effective one built from the
 * environment's synthesized stacks (`synthesized-environment.ts`) and the grant code that runs at
 * deployment (the Spark manifest's tags, the table grants job's plan, the dbt models' generated grants).
 * On Databricks the matrices also hold the Delta Sharing recipients (`recipient:<name>` columns), which the
 * definition gives the gold data of the datasets of their shares (`recipientAccess`); on AWS the gold API's
 * role (`api:<role>`), which reads in gold the datasets `consumers.api` exposes (`goldApiAccess`).
 */
import {
  type AccessMatrix,
  API_COLUMN_PREFIX,
  apiColumn,
  definitionAccessMatrix,
  RECIPIENT_COLUMN_PREFIX,
  withApiReads,
  withRecipientReads,
} from '../../lib/access/access-matrix';
import { goldApiAccess } from '../../lib/access/api-access';
import { deltaSharingPlan, recipientAccess } from '../../lib/consumers/sharing-plan';
import type { ModelLineage } from '../../lib/dbt';
import type { EnvironmentConfig, PlatformConfig } from '../../lib/definition';
import { unityCatalogName } from '../../lib/naming';
import { sparkManifest } from '../../lib/pipelines/spark-manifest';
import type { PlannedStack } from '../../lib/plan';
import { effectiveAwsAccess } from './effective-aws';
import { type DbtAccessInputs, effectiveDatabricksAccess } from './effective-databricks';
import { synthesizeAws, synthesizeTerraform } from './synthesized-environment';

/** Cloud labels, in the order the matrices are shown. */
export const CLOUD_LABELS = { aws: 'AWS', databricks: 'Databricks' } as const;

export interface EnvironmentAccess {
  /** The definition's matrix: the groups', and the Delta Sharing recipients' when the environment uses Databricks. */
  readonly definition: AccessMatrix;
  /** By cloud label: the definition as it applies there (recipients on Databricks only), to compare that cloud with. */
  readonly expected: Readonly<Record<string, AccessMatrix>>;
  /** By cloud label (`CLOUD_LABELS`), for the clouds the environment uses. */
  readonly clouds: Readonly<Record<string, AccessMatrix>>;
  /** The recipient columns of the definition and of the clouds, sorted; they exist on Databricks only. */
  readonly recipients: readonly string[];
  /** The gold API's column (`api:<role>`) where the environment deploys the API; it exists on AWS only. */
  readonly apiPrincipals: readonly string[];
  /** By cloud label: what the matrix was read from, in a sentence. */
  readonly sources: Readonly<Record<string, string>>;
}

export interface EnvironmentAccessOptions {
  /** The dbt models' grants and lineage, as the dbt job deploys them. */
  readonly dbt: DbtAccessInputs;
  /**
   * AWS stacks to build (with the stacks they depend on). When the processing stack is not among them,
   * the silver and gold tags are the manifest it would deploy (`sparkManifest`).
   * @default - every stack of the environment
   */
  readonly awsStacks?: (stack: PlannedStack) => boolean;
}

/**
 * The definition's matrix on Databricks: the groups' access, and each Delta Sharing recipient of the
 * environment reading in gold the datasets of its shares (tables attributed to datasets by `lineage`).
 */
export function databricksDefinitionMatrix(
  config: PlatformConfig,
  environment: EnvironmentConfig,
  lineage: readonly Pick<ModelLineage, 'name' | 'layer' | 'materialized' | 'datasets'>[],
): AccessMatrix {
  const scope = { prefix: config.prefix, environment: environment.name };
  return withRecipientReads(definitionAccessMatrix(config), recipientAccess(deltaSharingPlan(config, scope, unityCatalogName(scope), lineage)));
}

/** The recipient columns (`recipient:<name>`) that any of the matrices has, sorted. */
export function recipientColumns(matrices: readonly AccessMatrix[]): string[] {
  return columnsStartingWith(matrices, RECIPIENT_COLUMN_PREFIX);
}

/** The gold API columns (`api:<role>`) that any of the matrices has, sorted. */
export function apiColumns(matrices: readonly AccessMatrix[]): string[] {
  return columnsStartingWith(matrices, API_COLUMN_PREFIX);
}

function columnsStartingWith(matrices: readonly AccessMatrix[], prefix: string): string[] {
  const columns = matrices.flatMap((matrix) =>
    Object.values(matrix).flatMap((layers) => Object.values(layers).flatMap((cell) => Object.keys(cell).filter((key) => key.startsWith(prefix)))),
  );
  return [...new Set(columns)].sort();
}

/** What the definition gives the gold API's role in the environment: its role name and the datasets it exposes; undefined without an API. */
export function goldApiReads(config: PlatformConfig, environment: EnvironmentConfig): { roleName: string; datasets: string[] } | undefined {
  const access = goldApiAccess(config, environment);
  return access && { roleName: access.roleName, datasets: access.tables.map((table) => table.dataset) };
}

export function environmentAccess(config: PlatformConfig, environment: EnvironmentConfig, options: EnvironmentAccessOptions): EnvironmentAccess {
  const clouds: Record<string, AccessMatrix> = {};
  const expected: Record<string, AccessMatrix> = {};
  const sources: Record<string, string> = {};
  const groupsOnly = definitionAccessMatrix(config);
  const api = goldApiReads(config, environment);
  if (environment.clouds.includes('aws')) {
    const aws = synthesizeAws(config, environment, options.awsStacks);
    expected[CLOUD_LABELS.aws] = withApiReads(groupsOnly, api);
    const apiRole = new Map(api ? [[api.roleName, apiColumn(api.roleName)]] : []);
    clouds[CLOUD_LABELS.aws] = effectiveAwsAccess(config, aws.templates, aws.manifest ?? sparkManifest(config, environment), apiRole);
    sources[CLOUD_LABELS.aws] =
      `${aws.templates.length} CloudFormation templates (tag associations, Lake Formation grants and administrators) and ` +
      `${aws.manifest ? "the Spark manifest in the processing stack's asset" : 'the Spark manifest the processing stack would deploy'}`;
  }
  if (environment.clouds.includes('databricks')) {
    const terraform = synthesizeTerraform(config, environment);
    expected[CLOUD_LABELS.databricks] = databricksDefinitionMatrix(config, environment, options.dbt.lineage);
    clouds[CLOUD_LABELS.databricks] = effectiveDatabricksAccess(config, terraform.lakehouse, options.dbt, terraform.others);
    const models = options.dbt.lineage.filter((model) => model.materialized !== 'ephemeral').length;
    sources[CLOUD_LABELS.databricks] =
      `the lakehouse stack's Unity Catalog grants, table grants plan and Delta Sharing shares, ` +
      `${terraform.others.length} other Terraform stacks (storage roles), the committed grants and lineage of ${models} dbt models`;
  }
  // The definition shown beside the clouds: the groups', the recipients' (Databricks) and the gold API's (AWS).
  const definition = withApiReads(expected[CLOUD_LABELS.databricks] ?? groupsOnly, environment.clouds.includes('aws') ? api : undefined);
  const all = [definition, ...Object.values(clouds)];
  return { definition, expected, clouds, sources, recipients: recipientColumns(all), apiPrincipals: apiColumns(all) };
}
