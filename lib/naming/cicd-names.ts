import { awsPartition, type PlatformConfig } from '../definition';
import { JOB_NAME_RULES } from './aws-job-names';
import { azureResourceName, resourceGroupName } from './azure-names';
import { checkedAgainst } from './name-rules';
import type { NamingScope } from './stack-names';

/**
 * The workload identities of delivery from GitHub Actions (the definition's `cicd` section): which
 * subject each identity trusts and what each is called, per environment. The identity stacks
 * (stacks/aws/cicd-stack.ts, stacks/azure/cicd-stack.ts) and the workflow generator read the same values
 * from `deliveryIdentities`, so the trust a stack grants and the role a workflow asks for cannot disagree.
 */

/** GitHub Actions' OIDC issuer and the audiences each cloud's token exchange expects. */
export const GITHUB_OIDC = {
  issuer: 'https://token.actions.githubusercontent.com',
  /** The issuer without its scheme: the OIDC provider's name in IAM and the prefix of its condition keys. */
  host: 'token.actions.githubusercontent.com',
  awsAudience: 'sts.amazonaws.com',
  azureAudience: 'api://AzureADTokenExchange',
} as const;

/** The qualifier `cdk bootstrap` uses unless told otherwise (aws-cdk-lib's DefaultStackSynthesizer.DEFAULT_QUALIFIER). */
export const CDK_DEFAULT_QUALIFIER = 'hnb659fds';

/** The roles `cdk bootstrap` creates that `cdk deploy` assumes: deploy, publish assets, look up context (and read templates for `cdk diff`). */
export const CDK_BOOTSTRAP_ROLES = ['deploy-role', 'file-publishing-role', 'image-publishing-role', 'lookup-role'] as const;
export type CdkBootstrapRole = (typeof CDK_BOOTSTRAP_ROLES)[number];

/** `repo:<owner>/<repo>:environment:<env>`: the subject of a job that runs in GitHub environment `<env>`. */
export function githubEnvironmentSubject(repository: string, githubEnvironment: string): string {
  return `repo:${repository}:environment:${githubEnvironment}`;
}

/** `repo:<owner>/<repo>:pull_request`: the subject of a pull-request job (GitHub issues none to pull requests from forks). */
export function githubPullRequestSubject(repository: string): string {
  return `repo:${repository}:pull_request`;
}

/** `cdk-<qualifier>-<role>-<account>-<region>`: a role of the CDK bootstrap stack. */
export function cdkBootstrapRoleName(role: CdkBootstrapRole, account: string, region: string, qualifier = CDK_DEFAULT_QUALIFIER): string {
  return checkedAgainst(JOB_NAME_RULES.iamRole, `cdk-${qualifier}-${role}-${account}-${region}`);
}

/** `arn:<partition>:iam::<account>:role/<name>`. */
export function iamRoleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/** `arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`: the one GitHub provider of an account. */
export function githubOidcProviderArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${GITHUB_OIDC.host}`;
}

/** What an identity is for: deploying an environment, or planning a pull request against it (read-only). */
export type DeliveryPurpose = 'deploy' | 'plan';

/** `<prefix>-<env>-github-<deploy|plan>`: the IAM role a workflow job of the environment assumes. */
export function githubRoleName(scope: NamingScope, purpose: DeliveryPurpose): string {
  return checkedAgainst(JOB_NAME_RULES.iamRole, `${scope.prefix}-${scope.environment}-github-${purpose}`);
}

/** `id-<prefix>-<env>-github-<deploy|plan>`: the user-assigned managed identity a workflow job signs in to Azure as. */
export function githubManagedIdentityName(scope: NamingScope, purpose: DeliveryPurpose): string {
  return azureResourceName(scope, 'userAssignedIdentity', `github-${purpose}`);
}

/** The AWS side of an environment's delivery identities. */
export interface AwsDeliveryIdentity {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** The account's GitHub OIDC provider. */
  readonly oidcProviderArn: string;
  /** Whether this environment's stack creates the provider: the first environment of its account (definition order) does, the others refer to it. */
  readonly createsOidcProvider: boolean;
  readonly deployRoleName: string;
  readonly deployRoleArn: string;
  /** Read-only: pull requests diff with it (it may assume only the CDK lookup role). */
  readonly planRoleName: string;
  readonly planRoleArn: string;
}

/** The Azure side of an environment's delivery identities. */
export interface AzureDeliveryIdentity {
  readonly tenantId: string;
  readonly subscriptionId: string;
  /** The resource group of the identities (`rg-<prefix>-<env>-cicd`). */
  readonly resourceGroupName: string;
  readonly deployIdentityName: string;
  /** Read-only: pull requests plan with it. */
  readonly planIdentityName: string;
}

/** The identities the pipeline signs in with for one environment. */
export interface DeliveryIdentity {
  /** The platform environment. */
  readonly environment: string;
  /** The GitHub environment the deploy job runs in. */
  readonly githubEnvironment: string;
  /** Required reviewers of the GitHub environment (users, `org/team-slug`s); empty: deploys without approval. */
  readonly approvers: readonly string[];
  /** The only subject the deploy identities trust: `repo:<owner>/<repo>:environment:<githubEnvironment>`. */
  readonly deploySubject: string;
  /** The only subject the plan identities trust: `repo:<owner>/<repo>:pull_request`. */
  readonly planSubject: string;
  readonly aws?: AwsDeliveryIdentity;
  readonly azure?: AzureDeliveryIdentity;
}

/** The delivery identities of every environment of `cicd.environments`, in promotion order; none without a `cicd` section. */
export function deliveryIdentities(config: PlatformConfig): DeliveryIdentity[] {
  const cicd = config.cicd;
  if (!cicd) return [];
  const providerAccounts = new Set<string>();
  return cicd.environments.flatMap((delivery) => {
    // Validation admits no unknown environment; a definition narrowed to some environments (a tool, a test) skips the others.
    const environment = config.environments.find((env) => env.name === delivery.environment);
    if (!environment) return [];
    const scope = { prefix: config.prefix, environment: environment.name };
    const aws = environment.clouds.includes('aws') ? environment.aws : undefined;
    const azure = environment.clouds.includes('azure') ? environment.azure : undefined;
    const partition = aws && awsPartition(aws.region);
    const createsOidcProvider = aws !== undefined && !providerAccounts.has(aws.account);
    if (aws) providerAccounts.add(aws.account);
    const identity: DeliveryIdentity = {
      environment: environment.name,
      githubEnvironment: delivery.githubEnvironment,
      approvers: delivery.approvers,
      deploySubject: githubEnvironmentSubject(cicd.repository, delivery.githubEnvironment),
      planSubject: githubPullRequestSubject(cicd.repository),
      ...(aws && partition
        ? {
            aws: {
              account: aws.account,
              region: aws.region,
              partition,
              oidcProviderArn: githubOidcProviderArn(partition, aws.account),
              createsOidcProvider,
              deployRoleName: githubRoleName(scope, 'deploy'),
              deployRoleArn: iamRoleArn(partition, aws.account, githubRoleName(scope, 'deploy')),
              planRoleName: githubRoleName(scope, 'plan'),
              planRoleArn: iamRoleArn(partition, aws.account, githubRoleName(scope, 'plan')),
            },
          }
        : {}),
      ...(azure
        ? {
            azure: {
              tenantId: azure.tenantId,
              subscriptionId: azure.subscriptionId,
              resourceGroupName: resourceGroupName(scope, 'cicd'),
              deployIdentityName: githubManagedIdentityName(scope, 'deploy'),
              planIdentityName: githubManagedIdentityName(scope, 'plan'),
            },
          }
        : {}),
    };
    return [identity];
  });
}

/** The delivery identities of one environment; undefined when the pipeline does not deploy it. */
export function deliveryIdentityOf(config: PlatformConfig, environment: string): DeliveryIdentity | undefined {
  return deliveryIdentities(config).find((identity) => identity.environment === environment);
}
