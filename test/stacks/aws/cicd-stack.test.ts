import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../../cdk.json';
import type { PlatformConfig } from '../../../lib/definition';
import { environmentStacks } from '../../../lib/plan';
import { addAwsPolicyGates } from '../../../lib/policy';
import { CicdStack } from '../../../stacks/aws';
import { testApp } from '../../fixtures/cdk-app';
import { normalizedTemplate } from '../../fixtures/cdk-template';
import { configWith, environmentOf, exampleConfig } from '../../fixtures/platform';

const config = exampleConfig();

function cicdStack(name: string, definition: PlatformConfig = config, app: App = testApp()): CicdStack {
  return new CicdStack(app, { config: definition, environment: environmentOf(definition, name) });
}

const GITHUB = 'token.actions.githubusercontent.com';
const roleNamed = (template: Template, roleName: string) =>
  Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } }))[0]?.Properties;
const policyOf = (template: Template, logicalIdPrefix: string) =>
  Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith(logicalIdPrefix))?.[1].Properties;

describe('CicdStack', () => {
  const prod = Template.fromStack(cicdStack('prod'));

  test.each(['dev', 'prod'])('matches the snapshot for %s', (environment) => {
    expect(normalizedTemplate(cicdStack(environment))).toMatchSnapshot();
  });

  test('is planned first, depending on nothing, in every environment the pipeline deploys', () => {
    for (const environment of config.environments) {
      const [first] = environmentStacks(config, environment);
      expect(first).toMatchObject({ name: `acme-${environment.name}-cicd`, concern: 'cicd', dependsOn: [] });
    }
    const withoutCicd = configWith((d) => delete d.cicd);
    expect(environmentStacks(withoutCicd, environmentOf(withoutCicd, 'prod')).some((stack) => stack.concern === 'cicd')).toBe(false);
  });

  test("creates the account's GitHub OIDC provider for the sts.amazonaws.com audience", () => {
    prod.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    prod.hasResourceProperties('AWS::IAM::OIDCProvider', { Url: `https://${GITHUB}`, ClientIdList: ['sts.amazonaws.com'] });
  });

  test('the deploy role trusts exactly the audience and the subject of the GitHub environment, with StringEquals and no wildcard', () => {
    const role = roleNamed(prod, 'acme-prod-github-deploy');
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: { Ref: expect.stringMatching(/^GithubOidcProvider/) } },
        Condition: {
          StringEquals: {
            [`${GITHUB}:aud`]: 'sts.amazonaws.com',
            [`${GITHUB}:sub`]: 'repo:acme/cloud-platform-solutions:environment:prod',
          },
        },
      },
    ]);
    expect(JSON.stringify(role.AssumeRolePolicyDocument)).not.toMatch(/StringLike|\*/);
  });

  test('the plan role trusts only pull-request jobs of the repository', () => {
    const role = roleNamed(prod, 'acme-prod-github-plan');
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com', [`${GITHUB}:sub`]: 'repo:acme/cloud-platform-solutions:pull_request' },
    });
  });

  test('the deploy role may only assume the CDK bootstrap roles of its account and region; the plan role only the lookup role', () => {
    const bootstrap = (role: string) => `arn:aws:iam::333333333333:role/cdk-hnb659fds-${role}-333333333333-eu-west-1`;
    expect(policyOf(prod, 'DeployRolePolicy').PolicyDocument.Statement).toEqual([
      {
        Sid: 'AssumeOnly',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: ['deploy-role', 'file-publishing-role', 'image-publishing-role', 'lookup-role'].map(bootstrap),
      },
    ]);
    expect(policyOf(prod, 'PlanRolePolicy').PolicyDocument.Statement).toEqual([
      { Sid: 'AssumeOnly', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: bootstrap('lookup-role') },
    ]);
    expect(Object.values(prod.findResources('AWS::IAM::Role')).every((role) => role.Properties.ManagedPolicyArns === undefined)).toBe(true);
  });

  test('uses the bootstrap qualifier of the app context', () => {
    const app = new App({ context: { ...cdkJson.context, '@aws-cdk/core:bootstrapQualifier': 'acme2026' } });
    const template = Template.fromStack(cicdStack('dev', config, app));
    expect(JSON.stringify(policyOf(template, 'PlanRolePolicy'))).toContain('role/cdk-acme2026-lookup-role-111111111111-eu-west-1');
  });

  test('environments sharing an account share its provider: the first creates it (and keeps it), the others refer to it by ARN', () => {
    const shared = configWith((d) => (d.environments.staging.aws.account = d.environments.dev.aws.account));
    const dev = Template.fromStack(cicdStack('dev', shared));
    const staging = Template.fromStack(cicdStack('staging', shared));
    dev.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    dev.hasResource('AWS::IAM::OIDCProvider', { DeletionPolicy: 'Retain' });
    staging.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(roleNamed(staging, 'acme-staging-github-deploy').AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Federated: `arn:aws:iam::111111111111:oidc-provider/${GITHUB}`,
    });
    prod.hasResource('AWS::IAM::OIDCProvider', { DeletionPolicy: 'Delete' });
  });

  test("composes every ARN with the region's partition", () => {
    const china = configWith((d) => {
      d.environments.staging.aws.account = d.environments.dev.aws.account;
      d.environments.dev.aws.region = 'cn-north-1';
      d.environments.staging.aws.region = 'cn-north-1';
    });
    const staging = Template.fromStack(cicdStack('staging', china));
    expect(roleNamed(staging, 'acme-staging-github-deploy').AssumeRolePolicyDocument.Statement[0].Principal.Federated).toBe(
      `arn:aws-cn:iam::111111111111:oidc-provider/${GITHUB}`,
    );
    expect(policyOf(staging, 'PlanRolePolicy').PolicyDocument.Statement[0].Resource).toBe(
      'arn:aws-cn:iam::111111111111:role/cdk-hnb659fds-lookup-role-111111111111-cn-north-1',
    );
  });

  test('outputs the role ARNs the workflows assume', () => {
    prod.hasOutput('DeployRoleArn', Match.anyValue());
    prod.hasOutput('PlanRoleArn', Match.anyValue());
  });

  test('passes the policy gates (cdk-nag, Control Tower rules) without acknowledgements', () => {
    const app = testApp();
    addAwsPolicyGates(app);
    cicdStack('prod', config, app);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails when the environment is not deployed by the pipeline', () => {
    const withoutStaging = configWith((d) => delete d.cicd.environments.staging);
    expect(() => cicdStack('staging', withoutStaging)).toThrow('environment "staging" is not an AWS environment of cicd.environments; it has no cicd stack');
  });
});
