import { RemovalPolicy } from 'aws-cdk-lib';
import { CloudWatchEncryption, JobBookmarksEncryption, S3Encryption, SecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface GlueJobSecurityProps {
  /** Name of the security configuration (see `glueSecurityConfigurationName`); jobs in other stacks refer to it by this name. */
  readonly securityConfigurationName: string;
  /** The environment's customer-managed key. */
  readonly encryptionKey: IKey;
  /**
   * What happens to the security configuration when it leaves the stack.
   * @default RemovalPolicy.DESTROY (it holds no data; jobs refer to it by name)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The Glue security configuration every job of the environment runs with: data Glue writes to S3 is
 * SSE-KMS, its CloudWatch logs are KMS-encrypted, and job bookmarks are client-side encrypted, all
 * with the environment key. A job role needs `logs:AssociateKmsKey` on its log groups and use of the key.
 */
export class GlueJobSecurity extends Construct {
  readonly securityConfiguration: SecurityConfiguration;

  constructor(scope: Construct, id: string, props: GlueJobSecurityProps) {
    super(scope, id);
    this.securityConfiguration = new SecurityConfiguration(this, 'Resource', {
      securityConfigurationName: props.securityConfigurationName,
      s3Encryption: S3Encryption.kms(props.encryptionKey),
      cloudWatchEncryption: CloudWatchEncryption.kms(props.encryptionKey),
      jobBookmarksEncryption: JobBookmarksEncryption.clientSideKms(props.encryptionKey),
      removalPolicy: props.removalPolicy,
    });
  }
}
