import { deliveryIdentities, deliveryIdentityOf } from '../../lib/naming';
import { configWith, exampleConfig, problemsAfter } from '../fixtures/platform';

describe('the cicd section of the platform definition', () => {
  test.each<[string, (d: Record<string, any>) => void, string]>([
    [
      'the repository is not owner/name',
      (d) => (d.cicd.repository = 'https://github.com/acme/platform'),
      'cicd.repository: "https://github.com/acme/platform" must be a GitHub repository as owner/name ' +
        '(owner: letters, digits and single inner hyphens, at most 39; name: letters, digits, ., _ and -, at most 100)',
    ],
    [
      'the owner ends with a hyphen',
      (d) => (d.cicd.repository = 'acme-/platform'),
      'cicd.repository: "acme-/platform" must be a GitHub repository as owner/name',
    ],
    ['the repository name is ..', (d) => (d.cicd.repository = 'acme/..'), 'cicd.repository: "acme/.." must be a GitHub repository as owner/name'],
    [
      'a cicd environment is not an environment of the definition',
      (d) => (d.cicd.environments.prd = { approvers: ['alice'] }),
      'cicd.environments.prd: "prd" is not an environment of the definition (did you mean "prod"?); environments: dev, staging, prod',
    ],
    [
      'a production environment has no approvers',
      (d) => delete d.cicd.environments.prod.approvers,
      'cicd.environments.prod.approvers: must name at least one GitHub user or org/team slug: environment prod is a production environment',
    ],
    [
      'a production environment has an empty list of approvers',
      (d) => (d.cicd.environments.prod.approvers = []),
      'cicd.environments.prod.approvers: must name at least one GitHub user or org/team slug',
    ],
    [
      'an approver is neither a user nor org/team',
      (d) => (d.cicd.environments.prod.approvers = ['acme/leads/all']),
      'cicd.environments.prod.approvers[0]: "acme/leads/all" must be a GitHub user (alice) or team (org/team-slug)',
    ],
    [
      'an environment has more required reviewers than GitHub allows',
      (d) => (d.cicd.environments.prod.approvers = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']),
      `cicd.environments.prod.approvers: ["a1","a2","a3","a4","a5","a6","a7"] must name at most 6 reviewers (GitHub's limit per environment)`,
    ],
    [
      'the branch is a wildcard that would let every branch deploy',
      (d) => (d.cicd.branch = '*'),
      'cicd.branch: "*" contains the wildcard "*": every branch could deploy; name exactly one',
    ],
    [
      'the branch is a pattern that would match every release branch',
      (d) => (d.cicd.branch = 'release/*'),
      'cicd.branch: "release/*" contains the wildcard "*": every branch could deploy; name exactly one',
    ],
    [
      'the GitHub environment is a wildcard that every environment subject would match',
      (d) => (d.cicd.environments.dev.githubEnvironment = '*'),
      'cicd.environments.dev.githubEnvironment: "*" contains the wildcard "*": the deploy identities would trust the deploy jobs of every GitHub environment',
    ],
    [
      'two environments share one GitHub environment',
      (d) => (d.cicd.environments.staging.githubEnvironment = 'dev'),
      'cicd.environments.staging.githubEnvironment: "dev" is also the GitHub environment of dev; each environment needs its own',
    ],
    [
      'two deployed environments share an Azure subscription',
      (d) => (d.environments.staging.azure.subscriptionId = d.environments.dev.azure.subscriptionId),
      'environments.staging.azure.subscriptionId: "2b0f3e1a-9c4d-4e6f-8a7b-1c2d3e4f5a6b" is also the subscription of dev, and both are deployed by cicd',
    ],
    [
      'an unknown key is given',
      (d) => (d.cicd.repositry = 'acme/platform'),
      'cicd: unknown key "repositry" (did you mean "repository"?); allowed keys: repository, branch, environments',
    ],
  ])('fails when %s', (_name, change, message) => {
    const problems = problemsAfter(change);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  test('resolves the repository, the promotion order, the GitHub environments and the approvers', () => {
    expect(exampleConfig().cicd).toEqual({
      repository: 'acme/cloud-platform-solutions',
      branch: 'main',
      environments: [
        { environment: 'dev', githubEnvironment: 'dev', approvers: [] },
        { environment: 'staging', githubEnvironment: 'staging', approvers: ['acme/data-platform-leads'] },
        { environment: 'prod', githubEnvironment: 'prod', approvers: ['acme/data-platform-leads', 'acme/release-managers'] },
      ],
    });
  });

  test('accepts a repository with dots and underscores, a named GitHub environment and a user approver', () => {
    const config = configWith((d) => {
      d.cicd.repository = 'acme-corp/data_platform.infra';
      d.cicd.branch = 'release/2026';
      d.cicd.environments.prod = { githubEnvironment: 'production', approvers: ['alice'] };
    });
    expect(config.cicd?.branch).toBe('release/2026');
    expect(deliveryIdentityOf(config, 'prod')?.deploySubject).toBe('repo:acme-corp/data_platform.infra:environment:production');
  });

  test('without a cicd section there are no delivery identities', () => {
    expect(deliveryIdentities(configWith((d) => delete d.cicd))).toEqual([]);
  });
});

describe('deliveryIdentities', () => {
  const identities = deliveryIdentities(exampleConfig());

  test('gives each environment its GitHub environment, subjects, roles, identities and approvers, in promotion order', () => {
    expect(identities.map((identity) => identity.environment)).toEqual(['dev', 'staging', 'prod']);
    expect(identities[2]).toEqual({
      environment: 'prod',
      githubEnvironment: 'prod',
      approvers: ['acme/data-platform-leads', 'acme/release-managers'],
      deploySubject: 'repo:acme/cloud-platform-solutions:environment:prod',
      planSubject: 'repo:acme/cloud-platform-solutions:pull_request',
      aws: {
        account: '333333333333',
        region: 'eu-west-1',
        partition: 'aws',
        oidcProviderArn: 'arn:aws:iam::333333333333:oidc-provider/token.actions.githubusercontent.com',
        createsOidcProvider: true,
        deployRoleName: 'acme-prod-github-deploy',
        deployRoleArn: 'arn:aws:iam::333333333333:role/acme-prod-github-deploy',
        planRoleName: 'acme-prod-github-plan',
        planRoleArn: 'arn:aws:iam::333333333333:role/acme-prod-github-plan',
      },
      azure: {
        tenantId: expect.any(String),
        subscriptionId: '8f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1',
        resourceGroupName: 'rg-acme-prod-cicd',
        deployIdentityName: 'id-acme-prod-github-deploy',
        planIdentityName: 'id-acme-prod-github-plan',
      },
    });
  });

  test('lets only the first environment of an account (definition order) create its GitHub OIDC provider', () => {
    const config = configWith((d) => (d.environments.staging.aws.account = d.environments.dev.aws.account));
    expect(deliveryIdentities(config).map((identity) => [identity.environment, identity.aws?.createsOidcProvider])).toEqual([
      ['dev', true],
      ['staging', false],
      ['prod', true],
    ]);
  });

  test("composes ARNs with the region's partition", () => {
    const config = configWith((d) => (d.environments.dev.aws.region = 'cn-north-1'));
    expect(deliveryIdentityOf(config, 'dev')?.aws).toMatchObject({
      partition: 'aws-cn',
      oidcProviderArn: 'arn:aws-cn:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
      deployRoleArn: 'arn:aws-cn:iam::111111111111:role/acme-dev-github-deploy',
    });
  });

  test('leaves out environments the pipeline does not deploy', () => {
    const config = configWith((d) => delete d.cicd.environments.staging);
    expect(deliveryIdentities(config).map((identity) => identity.environment)).toEqual(['dev', 'prod']);
    expect(deliveryIdentityOf(config, 'staging')).toBeUndefined();
  });
});
