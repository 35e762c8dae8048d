import { Stack, Token } from 'aws-cdk-lib';
import { type IRole, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnPrincipalPermissions } from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import type { CatalogTag } from '../../lib/access/lake-formation-tags';
import { acknowledgeIamWildcards } from './iam-wildcard-findings';

export interface LakeFormationTagAssociationProps {
  /** The role that tags the tables it registers itself (the EMR instance role, the EMR on EKS job role). */
  readonly role: IRole;
  /** The catalog's LF-tags it may assign, each with the values it may assign (see `catalogTags`). */
  readonly tags: readonly CatalogTag[];
}

/** IAM actions of tagging a table; none of them supports resource-level permissions. */
export const TAG_ASSOCIATION_ACTIONS = ['lakeformation:AddLFTagsToResource', 'lakeformation:GetResourceLFTags', 'lakeformation:RemoveLFTagsFromResource'];

/**
 * Lets a role give the tables it registers itself the catalog's Lake Formation tags (LF-tags): the IAM
 * actions that read, add and remove a resource's LF-tags, and Lake Formation ASSOCIATE (with DESCRIBE)
 * on each LF-tag, named by key so that the stack using it needs nothing from the catalog stack that
 * defines the tags (deploy it after that stack). Lake Formation also requires the caller to own the
 * table (to have created it) or to hold every table permission with the grant option: a role tags
 * only the tables it creates, never those the catalog stack declares.
 */
export class LakeFormationTagAssociation extends Construct {
  /** The IAM policy on the role. */
  readonly policy: Policy;
  /** One ASSOCIATE grant per LF-tag, by tag key. */
  readonly tagGrants: ReadonlyMap<string, CfnPrincipalPermissions>;

  constructor(scope: Construct, id: string, props: LakeFormationTagAssociationProps) {
    super(scope, id);
    if (props.tags.length === 0) throw new Error('tags must list at least one LF-tag the role may assign');
    for (const tag of props.tags) {
      if (!Token.isUnresolved(tag.tagKey) && tag.tagValues.length === 0)
        throw new Error(`tags: LF-tag "${tag.tagKey}" has no values; list the values the role may assign`);
    }
    const catalogId = Stack.of(this).account;
    this.policy = new Policy(this, 'Resource', {
      roles: [props.role],
      statements: [new PolicyStatement({ sid: 'TagTablesItRegisters', actions: TAG_ASSOCIATION_ACTIONS, resources: ['*'] })],
    });
    acknowledgeIamWildcards(this.policy, [this.policy.document], (finding) =>
      finding === 'Resource::*'
        ? 'Lake Formation LF-tag actions have no resource-level permissions in IAM; Lake Formation itself ' +
          'limits them to the LF-tags this role holds ASSOCIATE on and to the tables it created.'
        : undefined,
    );
    const grants = new Map<string, CfnPrincipalPermissions>();
    for (const tag of props.tags) {
      grants.set(
        tag.tagKey,
        new CfnPrincipalPermissions(this, `Associate-${tag.tagKey}`, {
          catalog: catalogId,
          principal: { dataLakePrincipalIdentifier: props.role.roleArn },
          resource: { lfTag: { catalogId, tagKey: tag.tagKey, tagValues: [...tag.tagValues] } },
          permissions: ['ASSOCIATE', 'DESCRIBE'],
          permissionsWithGrantOption: [],
        }),
      );
    }
    this.tagGrants = grants;
  }
}
