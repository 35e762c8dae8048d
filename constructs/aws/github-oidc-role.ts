import { Duration } from 'aws-cdk-lib';
import { type IOidcProvider, Policy, PolicyStatement, Role, WebIdentityPrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GITHUB_OIDC } from '../../lib/naming';

export interface GithubOidcRoleProps {
  /** Role name (see `githubRoleName`); the workflow names it in `role-to-assume`. */
  readonly roleName: string;
  /** The account's GitHub Actions OIDC provider (`token.actions.githubusercontent.com`). */
  readonly provider: IOidcProvider;
  /**
   * The one subject the role trusts, exactly (`StringEquals`), e.g. `repo:acme/platform:environment:prod`.
   * A wildcard is refused: it would let other branches, environments or repositories assume the role.
   */
  readonly subject: string;
  /** The roles this role may assume, and the only thing it may do (e.g. the CDK bootstrap roles). */
  readonly assumableRoleArns: readonly string[];
  /** What the role is for. */
  readonly description: string;
  /**
   * How long a session lasts.
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
}

/**
 * A role that GitHub Actions jobs assume with their OIDC token (`AssumeRoleWithWebIdentity`), trusting
 * exactly one audience (`sts.amazonaws.com`) and one subject, and allowed nothing but to assume the given
 * roles. It holds no permission on resources itself: what a deploy may do is decided by the roles it
 * assumes (the CDK bootstrap roles and their CloudFormation execution role).
 */
export class GithubOidcRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: GithubOidcRoleProps) {
    super(scope, id);
    if (!/^repo:[^*?]+$/.test(props.subject)) {
      throw new Error(`subject ("${props.subject}") must be one exact GitHub subject starting repo:<owner>/<repo>: and without wildcards`);
    }
    if (props.assumableRoleArns.length === 0) throw new Error('assumableRoleArns must name at least one role');
    this.role = new Role(this, 'Resource', {
      roleName: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
      assumedBy: new WebIdentityPrincipal(props.provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC.host}:aud`]: GITHUB_OIDC.awsAudience,
          [`${GITHUB_OIDC.host}:sub`]: props.subject,
        },
      }),
    });
    new Policy(this, 'Policy', {
      roles: [this.role],
      statements: [
        // TagSession: the CDK CLI may tag the sessions it opens in the bootstrap roles, whose trust allows it.
        new PolicyStatement({ sid: 'AssumeOnly', actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [...props.assumableRoleArns] }),
      ],
    });
  }
}
