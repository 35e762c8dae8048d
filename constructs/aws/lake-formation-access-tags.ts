import { Stack } from 'aws-cdk-lib';
import { CfnPrincipalPermissions, CfnTag } from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { TABLE_PERMISSIONS } from '../../lib/access/access-plan';
import { API_TAG_VALUES } from '../../lib/access/lake-formation-tags';
import type { TableAccess } from '../../lib/definition';

/** One group's access, as the tags express it. */
export interface AccessTagGroup {
  /** The group, for construct ids. */
  readonly group: string;
  /** Its access tag key (see `accessTagKey`). */
  readonly tagKey: string;
  /** The IAM role ARN its members assume. */
  readonly principalArn: string;
  /** Whether some table gives it `read`. */
  readonly reads: boolean;
  /** Whether some table gives it `own`. */
  readonly owns: boolean;
  /** Databases it sees (DESCRIBE). */
  readonly databaseNames: readonly string[];
}

export interface LakeFormationAccessTagsProps {
  /** The groups with access to at least one table. */
  readonly groups: readonly AccessTagGroup[];
  /** Key of the domain tag (see `domainTagKey`). */
  readonly domainTagKey: string;
  /** Every domain of the catalogue: the domain tag's values. */
  readonly domains: readonly string[];
  /**
   * Key of the gold API's tag (see `apiAccessTagKey`), value `read`: defined here with the catalog's other
   * tags, put on the exposed gold tables by the Spark application, granted on to the API's role only by the API stack.
   * @default - no API tag (the environment deploys no gold API)
   */
  readonly apiTagKey?: string;
}

const ACCESS_VALUES: readonly TableAccess[] = ['read', 'own'];

/**
 * Lake Formation tag-based access control for the whole catalogue: an access tag per group (values
 * `read`, `own`), a domain tag, and one grant per group and value on every table carrying it. Tables
 * get their tags in their domain's catalog stack, so the number of grants follows the groups, not the
 * datasets: a thousand datasets need no more grants than eight.
 */
export class LakeFormationAccessTags extends Construct {
  readonly domainTag: CfnTag;
  /** The gold API's tag, when `apiTagKey` is given. */
  readonly apiTag?: CfnTag;
  private readonly accessTags = new Map<string, CfnTag>();

  constructor(scope: Construct, id: string, props: LakeFormationAccessTagsProps) {
    super(scope, id);
    if (props.domains.length === 0) throw new Error('domains must list at least one domain (the values of the domain tag)');
    const catalogId = Stack.of(this).account;
    this.domainTag = new CfnTag(this, 'DomainTag', { catalogId, tagKey: props.domainTagKey, tagValues: [...props.domains] });
    if (props.apiTagKey !== undefined) this.apiTag = new CfnTag(this, 'ApiTag', { catalogId, tagKey: props.apiTagKey, tagValues: [...API_TAG_VALUES] });
    for (const group of props.groups) {
      const tag = new CfnTag(this, `AccessTag-${group.group}`, { catalogId, tagKey: group.tagKey, tagValues: [...ACCESS_VALUES] });
      this.accessTags.set(group.group, tag);
      for (const value of ACCESS_VALUES) {
        if (value === 'read' ? !group.reads : !group.owns) continue;
        const grant = new CfnPrincipalPermissions(this, `${value === 'read' ? 'Read' : 'Own'}-${group.group}`, {
          catalog: catalogId,
          principal: { dataLakePrincipalIdentifier: group.principalArn },
          resource: { lfTagPolicy: { catalogId, resourceType: 'TABLE', expression: [{ tagKey: group.tagKey, tagValues: [value] }] } },
          permissions: [...TABLE_PERMISSIONS[value]],
          permissionsWithGrantOption: [],
        });
        grant.addResourceDependency(tag);
      }
      for (const databaseName of group.databaseNames) {
        new CfnPrincipalPermissions(this, `Describe-${group.group}-${databaseName}`, {
          catalog: catalogId,
          principal: { dataLakePrincipalIdentifier: group.principalArn },
          resource: { database: { catalogId, name: databaseName } },
          permissions: ['DESCRIBE'],
          permissionsWithGrantOption: [],
        });
      }
    }
  }

  /** The access tag of a group, when it has one. */
  accessTagOf(group: string): CfnTag | undefined {
    return this.accessTags.get(group);
  }
}
