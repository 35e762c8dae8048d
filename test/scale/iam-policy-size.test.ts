import { App } from 'aws-cdk-lib';
import cdkJson from '../../cdk.json';
import { addAwsEnvironment } from '../../bin/aws-app';
import type { TemplateJson } from '../fixtures/deployed-template-values';
import { IAM_POLICY_LIMITS, rolePolicyProblems, rolePolicySizes, type RolePolicySizes } from '../fixtures/iam-policy-sizes';
import { environmentOf } from '../fixtures/platform';
import { oneDomainDefinition, validateScaleDefinition } from '../fixtures/scale-definition';

/**
 * IAM does not grow with the catalogue: every role of every AWS stack of an environment (prod: with EMR on EKS,
 * the most roles) stays within IAM's limits with 1, 60 and 300 datasets in one domain, measured on the
 * deployed text (tokens resolved to the longest partition, region and account), and no role's inline policy
 * grows from 60 to 300 datasets: what grows with the datasets is in managed policies of bounded size.
 */
const DOMAIN = 'sales';
const ENVIRONMENT = 'prod';

function rolesWith(datasets: number): RolePolicySizes[] {
  const config = validateScaleDefinition(oneDomainDefinition(datasets, DOMAIN));
  // Every check on: a large domain is split into shards (more stacks), each within CloudFormation's limits.
  const app = new App({ context: cdkJson.context });
  addAwsEnvironment(app, config, environmentOf(config, ENVIRONMENT));
  const templates = new Map(app.synth().stacks.map((stack) => [stack.stackName, stack.template as TemplateJson]));
  expect([...templates.keys()]).toEqual(expect.arrayContaining([`acme-${ENVIRONMENT}-ingestion-${DOMAIN}`, `acme-${ENVIRONMENT}-orchestration-${DOMAIN}`]));
  return rolePolicySizes(templates);
}

describe('IAM policy size with the number of datasets in one domain', () => {
  const measured = new Map<number, RolePolicySizes[]>();
  const rolesAt = (datasets: number) => {
    if (!measured.has(datasets)) measured.set(datasets, rolesWith(datasets));
    return measured.get(datasets) as RolePolicySizes[];
  };

  test.each([1, 60, 300])('every role is within IAM limits with %i datasets', (datasets) => {
    const roles = rolesAt(datasets);
    expect(roles.length).toBeGreaterThan(10);
    expect(roles.flatMap(rolePolicyProblems)).toEqual([]);
  });

  test('the domain roles keep their inline size from 60 to 300 datasets, and their managed policies stay below the quota', () => {
    const inlineAt = (datasets: number) => new Map(rolesAt(datasets).map((role) => [role.roleName, role.inline]));
    const [at60, at300] = [inlineAt(60), inlineAt(300)];
    const grown = [...at300]
      .filter(([role, size]) => at60.has(role) && size > (at60.get(role) as number))
      .map(([role, size]) => `${role}: ${at60.get(role)} -> ${size}`);
    expect(grown).toEqual([]);
    const domainRoles = rolesAt(300).filter((role) => new RegExp(`-${DOMAIN}(-\\d+)?$`).test(role.definedIn?.stack ?? ''));
    expect(domainRoles.map((role) => role.definedIn?.stack)).toEqual(
      expect.arrayContaining([
        `acme-${ENVIRONMENT}-ingestion-${DOMAIN}`,
        `acme-${ENVIRONMENT}-streaming-${DOMAIN}`,
        `acme-${ENVIRONMENT}-orchestration-${DOMAIN}`,
        // 300 datasets are more than one shard of the per-domain stacks: the next shard's roles are measured too.
        `acme-${ENVIRONMENT}-ingestion-${DOMAIN}-1`,
      ]),
    );
    for (const role of domainRoles) expect(role.managed.length + role.otherManagedPolicies).toBeLessThanOrEqual(IAM_POLICY_LIMITS.managedPoliciesPerRole);
  });
});
