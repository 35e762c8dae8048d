import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { deployedLengthUpperBound, MANAGED_POLICY_MAX_CHARACTERS, PackedManagedPolicies } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';
import { DeployedTemplateValues } from '../../fixtures/deployed-template-values';
import { policyCharacters } from '../../fixtures/iam-policy-sizes';

/** An environment-agnostic stack: partition, region and account stay tokens, as in a stack without `env`. */
function stackWithRole(): { stack: Stack; role: Role } {
  const stack = new Stack(testApp(), 'Test');
  return { stack, role: new Role(stack, 'JobRole', { assumedBy: new ServicePrincipal('glue.amazonaws.com') }) };
}

const jobNames = (count: number) => Array.from({ length: count }, (_, i) => `acme-prod-ingest-a_rather_long_dataset_name_${String(i).padStart(4, '0')}`);

function runJobs(stack: Stack) {
  return {
    items: [] as string[],
    statement: (names: readonly string[]) =>
      new PolicyStatement({
        sid: 'RunIngestionJobs',
        actions: ['glue:StartJobRun', 'glue:GetJobRun'],
        resources: names.map((name) => stack.formatArn({ service: 'glue', resource: 'job', resourceName: name })),
      }),
  };
}

describe('PackedManagedPolicies', () => {
  test('few items: one managed policy attached to the role, the items in their order', () => {
    const { stack, role } = stackWithRole();
    const packed = new PackedManagedPolicies(stack, 'Jobs', { role, grants: [{ ...runJobs(stack), items: jobNames(3) }] });
    expect(packed.policies).toHaveLength(1);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    const [policy] = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policy.Properties.Roles).toEqual([{ Ref: stack.getLogicalId(role.node.defaultChild as never) }]);
    const resources = policy.Properties.PolicyDocument.Statement[0].Resource as unknown[];
    expect(JSON.stringify(resources)).toMatch(/_0000.*_0001.*_0002/);
  });

  test('many items: as many policies as needed, each within IAM limit once deployed at the longest, every item once', () => {
    const { stack, role } = stackWithRole();
    const names = jobNames(250);
    const packed = new PackedManagedPolicies(stack, 'Jobs', { role, grants: [{ ...runJobs(stack), items: names }] });
    expect(packed.policies.length).toBeGreaterThan(3);
    const template = Template.fromStack(stack).toJSON();
    const values = new DeployedTemplateValues(new Map([['Test', template]]));
    const deployed = Object.values<any>(template.Resources)
      .filter((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')
      .map((resource) => values.resolve('Test', resource.Properties.PolicyDocument) as { Statement: Array<{ Resource: string[] }> });
    for (const document of deployed) expect(policyCharacters(document)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARACTERS);
    // Packed tightly: every policy but the last is more than nine tenths full.
    for (const document of deployed.slice(0, -1)) expect(policyCharacters(document)).toBeGreaterThan(0.9 * MANAGED_POLICY_MAX_CHARACTERS);
    const granted = deployed.flatMap((document) => document.Statement.flatMap((statement) => statement.Resource)).map((arn) => arn.split('job/')[1]);
    expect(granted).toEqual(names);
  });

  test('several grants share the policies; a grant without items adds nothing', () => {
    const { stack, role } = stackWithRole();
    const reads = {
      items: ['_landing/incoming/a/', '_landing/incoming/b/'],
      statement: (prefixes: readonly string[]) =>
        new PolicyStatement({ sid: 'ReadLandingFiles', actions: ['s3:GetObject'], resources: prefixes.map((prefix) => `arn:aws:s3:::bronze/${prefix}*`) }),
    };
    new PackedManagedPolicies(stack, 'Grants', { role, grants: [{ ...runJobs(stack), items: jobNames(2) }, reads, { ...runJobs(stack), items: [] }] });
    const [policy] = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'));
    expect(policy.Properties.PolicyDocument.Statement.map((statement: { Sid: string }) => statement.Sid)).toEqual(['RunIngestionJobs', 'ReadLandingFiles']);
  });

  test('no items at all: no policy', () => {
    const { stack, role } = stackWithRole();
    const packed = new PackedManagedPolicies(stack, 'Jobs', { role, grants: [runJobs(stack)] });
    expect(packed.policies).toHaveLength(0);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  test('fails when the grants need more policies than the role may get, naming the count and the quota', () => {
    const { stack, role } = stackWithRole();
    expect(() => new PackedManagedPolicies(stack, 'Jobs', { role, grants: [{ ...runJobs(stack), items: jobNames(250) }], maxPolicies: 2 })).toThrow(
      new RegExp(
        'Test/Jobs: the grants need \\d+ managed policies of 6144 characters, and the role may get at most 2 ' +
          "\\(IAM's quota of managed policies per role is 10 by default, 20 at most\\)",
      ),
    );
  });

  test('the size estimate is an upper bound of the deployed size', () => {
    const { stack } = stackWithRole();
    const document = stack.resolve(runJobs(stack).statement(jobNames(5)).toStatementJson());
    const deployed = new DeployedTemplateValues(new Map([['Test', { Resources: {} }]])).resolve('Test', document);
    expect(deployedLengthUpperBound(document)).toBeGreaterThanOrEqual(policyCharacters(deployed));
    expect(deployedLengthUpperBound(document)).toBeLessThan(policyCharacters(deployed) + 10);
  });
});
