import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LakeFormationTagAssociation } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function stackWithRole(): { stack: Stack; role: Role } {
  const stack = new Stack(testApp(), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  return { stack, role: new Role(stack, 'JobRole', { assumedBy: new ServicePrincipal('ec2.amazonaws.com') }) };
}

describe('LakeFormationTagAssociation', () => {
  test('ASSOCIATE and DESCRIBE on each LF-tag by key, without the grant option, and the IAM tag actions on the role', () => {
    const { stack, role } = stackWithRole();
    new LakeFormationTagAssociation(stack, 'Tagging', {
      role,
      tags: [
        { tagKey: 'acme_dev_domain', tagValues: ['marketing', 'sales'] },
        { tagKey: 'acme_dev_access_analysts', tagValues: ['read', 'own'] },
      ],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 2);
    template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
      Resource: { LFTag: { CatalogId: '111111111111', TagKey: 'acme_dev_domain', TagValues: ['marketing', 'sales'] } },
      Permissions: ['ASSOCIATE', 'DESCRIBE'],
      PermissionsWithGrantOption: [],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['lakeformation:AddLFTagsToResource', 'lakeformation:GetResourceLFTags', 'lakeformation:RemoveLFTagsFromResource'],
            Effect: 'Allow',
            Resource: '*',
            Sid: 'TagTablesItRegisters',
          },
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^JobRole') }],
    });
  });

  test('fails when no LF-tag is given', () => {
    const { stack, role } = stackWithRole();
    expect(() => new LakeFormationTagAssociation(stack, 'Tagging', { role, tags: [] })).toThrow('tags must list at least one LF-tag the role may assign');
  });

  test('fails when an LF-tag has no values', () => {
    const { stack, role } = stackWithRole();
    expect(() => new LakeFormationTagAssociation(stack, 'Tagging', { role, tags: [{ tagKey: 'acme_dev_domain', tagValues: [] }] })).toThrow(
      'tags: LF-tag "acme_dev_domain" has no values',
    );
  });
});
