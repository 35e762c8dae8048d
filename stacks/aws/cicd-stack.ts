import { CfnOutput, DefaultStackSynthesizer, RemovalPolicy } from 'aws-cdk-lib';
import { type IOidcProvider, OidcProviderNative } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { GithubOidcRole } from '../../constructs/aws';
import {
  CDK_BOOTSTRAP_ROLES,
  CDK_DEFAULT_QUALIFIER,
  type CdkBootstrapRole,
  cdkBootstrapRoleName,
  deliveryIdentities,
  GITHUB_OIDC,
  iamRoleArn,
} from '../../lib/naming';
import { EnvironmentStack } from './environment-stack';
import type { EnvironmentStackProps } from './environment-stack-props';

/**
 * `<prefix>-<env>-cicd`: the AWS identities GitHub Actions sign in with for this environment (the
 * definition's `cicd` section). The account's GitHub OIDC provider (created by the first environment of
 * the account in definition order, referred to by the others); a deploy role trusting only the deploy
 * jobs of the environment's GitHub environment, allowed only to assume the CDK bootstrap roles of the
 * environment's account and region; a plan role trusting only pull-request jobs, allowed only to assume
 * the bootstrap lookup role (read-only: `cdk diff`). An administrator deploys it, never the pipeline.
 */
export class CicdStack extends EnvironmentStack {
  readonly provider: IOidcProvider;
  readonly deployRole: GithubOidcRole;
  readonly planRole: GithubOidcRole;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, 'cicd', {
      description: `Identities of GitHub Actions (OIDC provider, deploy and plan roles) for ${props.config.prefix} ${props.environment.name}`,
      ...props,
    });
    const identities = deliveryIdentities(this.config);
    const identity = identities.find((candidate) => candidate.environment === this.platformEnvironment.name);
    const aws = identity?.aws;
    if (!identity || !aws)
      throw new Error(`environment "${this.platformEnvironment.name}" is not an AWS environment of cicd.environments; it has no cicd stack`);
    // Other environments' roles in the same account trust this provider: it outlives this stack then.
    const shared = identities.some((other) => other !== identity && other.aws?.account === aws.account);
    this.provider = aws.createsOidcProvider
      ? new OidcProviderNative(this, 'GithubOidcProvider', {
          url: GITHUB_OIDC.issuer,
          clientIds: [GITHUB_OIDC.awsAudience],
          removalPolicy: shared ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        })
      : OidcProviderNative.fromOidcProviderArn(this, 'GithubOidcProvider', aws.oidcProviderArn);

    const synthesizer = this.synthesizer;
    const qualifier = (synthesizer instanceof DefaultStackSynthesizer ? synthesizer.bootstrapQualifier : undefined) ?? CDK_DEFAULT_QUALIFIER;
    const bootstrapRoleArn = (role: CdkBootstrapRole) => iamRoleArn(aws.partition, aws.account, cdkBootstrapRoleName(role, aws.account, aws.region, qualifier));

    this.deployRole = new GithubOidcRole(this, 'DeployRole', {
      roleName: aws.deployRoleName,
      provider: this.provider,
      subject: identity.deploySubject,
      assumableRoleArns: CDK_BOOTSTRAP_ROLES.map(bootstrapRoleArn),
      description: `GitHub Actions deploy jobs of ${identity.deploySubject}: may only assume the CDK bootstrap roles of ${aws.account}/${aws.region}`,
    });
    this.planRole = new GithubOidcRole(this, 'PlanRole', {
      roleName: aws.planRoleName,
      provider: this.provider,
      subject: identity.planSubject,
      assumableRoleArns: [bootstrapRoleArn('lookup-role')],
      description: `GitHub Actions pull-request jobs of ${identity.planSubject}: may only assume the CDK lookup role of ${aws.account}/${aws.region}`,
    });
    new CfnOutput(this, 'DeployRoleArn', { value: this.deployRole.role.roleArn, description: 'role-to-assume of the deploy jobs' });
    new CfnOutput(this, 'PlanRoleArn', { value: this.planRole.role.roleArn, description: 'role-to-assume of the pull-request jobs' });
  }
}
