/**
 * The effective access matrix of an AWS environment, from what its deployment creates rather than from
 * the definition: the tables and their LF-tags (the `AWS::LakeFormation::TagAssociation`s of the catalog
 * stacks for bronze; the Spark manifest the processing stack deploys for the silver and gold tables the
 * Spark application creates and tags), and every Lake Formation grant to a group's role in the
 * templates (by LF-tag expression, or on named tables or every table of a database). A group whose role
 * administers Lake Formation may grant itself anything, so it owns every table.
 *
 * A group reads a table when its grants give it SELECT there, and owns it when they also give it what
 * Lake Formation owners hold (`TABLE_PERMISSIONS.own`).
 */
import { TABLE_PERMISSIONS } from '../../lib/access/access-plan';
import { type AccessMatrix, emptyAccessMatrix, grantInMatrix } from '../../lib/access/access-matrix';
import { LAYERS, type Layer, type PlatformConfig, type TableAccess } from '../../lib/definition';

/** A CloudFormation template as JSON. */
export type CloudFormationTemplate = { readonly Resources?: Readonly<Record<string, { readonly Type: string; readonly Properties?: unknown }>> };

interface LfTag {
  readonly TagKey: string;
  readonly TagValues: readonly string[];
}

/** The properties read of `AWS::LakeFormation::PrincipalPermissions`. */
interface PrincipalPermissions {
  readonly Principal?: { readonly DataLakePrincipalIdentifier?: unknown };
  readonly Permissions?: readonly string[];
  readonly Resource?: {
    readonly LFTagPolicy?: { readonly ResourceType?: string; readonly Expression?: readonly LfTag[] };
    readonly Table?: { readonly DatabaseName?: string; readonly Name?: string; readonly TableWildcard?: unknown };
  };
}

/** The properties read of `AWS::LakeFormation::TagAssociation`. */
interface TagAssociation {
  readonly Resource?: { readonly Table?: { readonly DatabaseName: string; readonly Name?: string } };
  readonly LFTags?: readonly LfTag[];
}

/** The properties read of `AWS::LakeFormation::DataLakeSettings`. */
interface DataLakeSettings {
  readonly Admins?: ReadonlyArray<{ readonly DataLakePrincipalIdentifier?: unknown }>;
}

/** What the Spark manifest says of the tables the application creates (see `SparkManifest`). */
export interface ManifestTables {
  readonly databases: Readonly<Record<Layer, string>>;
  readonly domains: Readonly<
    Record<string, ReadonlyArray<{ readonly name: string; readonly tags: Readonly<Record<'silver' | 'gold', Readonly<Record<string, readonly string[]>>>> }>>
  >;
}

interface Table {
  readonly database: string;
  readonly name: string;
  readonly tags: ReadonlyMap<string, readonly string[]>;
}

interface LakeGrant {
  readonly roleName: string;
  readonly permissions: ReadonlySet<string>;
  readonly matches: (table: Table) => boolean;
}

/**
 * The IAM role name in a principal, however CloudFormation spells the ARN (a string, Fn::Join, Fn::Sub), or the
 * `RoleName` of the named role of the same template whose ARN it takes (`Fn::GetAtt: [<role>, Arn]`).
 */
export function roleNameOf(principal: unknown, template?: CloudFormationTemplate): string | undefined {
  const getAtt = (principal as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
  if (getAtt?.[1] === 'Arn') {
    const role = template?.Resources?.[getAtt[0]];
    const name = role?.Type === 'AWS::IAM::Role' ? (role.Properties as { RoleName?: unknown } | undefined)?.RoleName : undefined;
    return typeof name === 'string' ? name : undefined;
  }
  return /:role\/([\w+=,.@-]+)/.exec(JSON.stringify(principal).replace(/","/g, ''))?.[1];
}

/** The properties of every resource of a type, in the shape this module reads. */
function resourcesOf<T>(templates: readonly CloudFormationTemplate[], type: string): T[] {
  return templates.flatMap((template) =>
    Object.values(template.Resources ?? {})
      .filter((resource) => resource.Type === type)
      .map((resource) => (resource.Properties ?? {}) as T),
  );
}

function lakeGrants(templates: readonly CloudFormationTemplate[]): LakeGrant[] {
  return templates.flatMap((template) => lakeGrantsOf(template));
}

function lakeGrantsOf(template: CloudFormationTemplate): LakeGrant[] {
  return resourcesOf<PrincipalPermissions>([template], 'AWS::LakeFormation::PrincipalPermissions').flatMap((grant): LakeGrant[] => {
    const roleName = roleNameOf(grant.Principal?.DataLakePrincipalIdentifier, template);
    if (!roleName) return [];
    const permissions = new Set<string>(grant.Permissions ?? []);
    const resource = grant.Resource ?? {};
    if (resource.LFTagPolicy?.ResourceType === 'TABLE') {
      const expression = resource.LFTagPolicy.Expression ?? [];
      const matches = (table: Table) => expression.every((term) => (table.tags.get(term.TagKey) ?? []).some((value) => term.TagValues.includes(value)));
      return [{ roleName, permissions, matches }];
    }
    if (resource.Table) {
      const { DatabaseName: database, Name: name, TableWildcard: wildcard } = resource.Table;
      return [{ roleName, permissions, matches: (table) => table.database === database && (wildcard !== undefined || table.name === name) }];
    }
    return [];
  });
}

function levelOf(permissions: ReadonlySet<string>): TableAccess | undefined {
  if (permissions.has('ALL')) return 'own';
  if (!permissions.has('SELECT')) return undefined;
  return TABLE_PERMISSIONS.own.every((permission) => permissions.has(permission)) ? 'own' : 'read';
}

/**
 * The effective matrix of one AWS environment (see the module comment). `principals` names the columns of
 * roles that are not a group's (the gold API's role: `apiColumn`), by IAM role name.
 */
export function effectiveAwsAccess(
  config: Pick<PlatformConfig, 'datasets' | 'groups'>,
  templates: readonly CloudFormationTemplate[],
  manifest: ManifestTables,
  principals: ReadonlyMap<string, string> = new Map(),
): AccessMatrix {
  const layerOf = new Map(LAYERS.map((layer) => [manifest.databases[layer], layer]));
  const tables: Table[] = [
    ...resourcesOf<TagAssociation>(templates, 'AWS::LakeFormation::TagAssociation').flatMap((association): Table[] => {
      const table = association.Resource?.Table;
      if (table?.Name === undefined) return [];
      return [{ database: table.DatabaseName, name: table.Name, tags: new Map((association.LFTags ?? []).map((tag) => [tag.TagKey, tag.TagValues])) }];
    }),
    ...Object.values(manifest.domains).flatMap((datasets) =>
      datasets.flatMap((dataset) =>
        (['silver', 'gold'] as const).map((layer) => ({
          database: manifest.databases[layer],
          name: dataset.name,
          tags: new Map(Object.entries(dataset.tags[layer])),
        })),
      ),
    ),
  ];
  const groupOfRole = new Map([...Object.values(config.groups).map((group): [string, string] => [group.awsRoleName, group.name]), ...principals]);
  const administrators = new Set(
    resourcesOf<DataLakeSettings>(templates, 'AWS::LakeFormation::DataLakeSettings').flatMap((settings) =>
      (settings.Admins ?? []).map((admin) => roleNameOf(admin.DataLakePrincipalIdentifier)),
    ),
  );
  const grants = lakeGrants(templates);
  const matrix = emptyAccessMatrix(config.datasets.map((dataset) => dataset.name));
  for (const table of tables) {
    const layer = layerOf.get(table.database);
    if (layer === undefined || !matrix[table.name]) continue; // not a dataset's table of a layer database
    for (const [roleName, group] of groupOfRole) {
      const permissions = new Set(grants.filter((grant) => grant.roleName === roleName && grant.matches(table)).flatMap((grant) => [...grant.permissions]));
      const level = administrators.has(roleName) ? 'own' : levelOf(permissions);
      if (level) grantInMatrix(matrix, table.name, layer, group, level);
    }
  }
  return matrix;
}
