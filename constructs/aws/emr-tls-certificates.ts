import { join } from 'node:path';
import { CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Duration, Stack, Token } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeDeployTimeProvider } from './deploy-time-provider';
import { requireWholeNumber } from './whole-number';

export interface EmrTlsCertificatesProps {
  /** Bucket the zip is written to. */
  readonly bucket: IBucket;
  /** Key of the zip inside the bucket (see `EMR_TLS_CERTIFICATES_KEY`). */
  readonly objectKey: string;
  /** Key the zip is encrypted with (SSE-KMS); the cluster's instance role must be able to decrypt it. */
  readonly encryptionKey: IKey;
  /** Organization written into the certificate's subject, e.g. "acme prod Spark". */
  readonly organization: string;
  /**
   * Days the certificate is valid. Redeploying with another `rotation` issues a new one.
   * @default 825
   */
  readonly validityDays?: number;
  /**
   * Any value; changing it issues a new key pair and certificate on the next deployment.
   * @default '1'
   */
  readonly rotation?: string;
}

/**
 * The certificates of EMR in-transit encryption, made at deploy time: a function (CDK's custom-resource
 * provider, Node.js standard library only) creates a new RSA key pair and a self-signed certificate for
 * the VPC's private host names (`*.<region>.compute.internal`, `*.ec2.internal`) and writes the zip EMR
 * expects to S3 with SSE-KMS. No private key is ever in the repository, the cloud assembly or a
 * template, and a new environment deploys in one go. The certificate is its own trust anchor
 * (trustedCertificates.pem): it authenticates the cluster's nodes to each other, not to outside clients.
 * A certificate from the organisation's private CA can replace it: upload that zip to the same key and
 * remove this construct.
 */
export class EmrTlsCertificates extends Construct {
  /** `s3://<bucket>/<key>`, for the security configuration. */
  readonly s3Url: string;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: EmrTlsCertificatesProps) {
    super(scope, id);
    const validityDays = props.validityDays ?? 825;
    if (!Token.isUnresolved(validityDays)) requireWholeNumber('validityDays', validityDays, 1, 3650, 'days');
    if (!props.objectKey.endsWith('.zip')) throw new Error(`objectKey (${props.objectKey}) must name a .zip object`);
    const region = Stack.of(this).region;
    const provider = CustomResourceProvider.getOrCreateProvider(this, 'Custom::EmrTlsCertificates', {
      codeDirectory: join(__dirname, 'jobs', 'tls'),
      runtime: CustomResourceProviderRuntime.NODEJS_24_X,
      description: 'Writes the self-signed certificates of EMR in-transit encryption to the artifacts bucket',
      timeout: Duration.minutes(2),
      policyStatements: [
        { Effect: 'Allow', Action: ['s3:PutObject'], Resource: props.bucket.arnForObjects(props.objectKey) },
        { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: props.encryptionKey.keyArn },
      ],
    });
    this.resource = new CustomResource(this, 'Resource', {
      resourceType: 'Custom::EmrTlsCertificates',
      serviceToken: provider.serviceToken,
      properties: {
        Bucket: props.bucket.bucketName,
        Key: props.objectKey,
        KmsKeyId: props.encryptionKey.keyArn,
        DnsNames: [`*.${region}.compute.internal`, ...(region === 'us-east-1' ? ['*.ec2.internal'] : [])],
        Organization: props.organization,
        ValidityDays: validityDays,
        Rotation: props.rotation ?? '1',
      },
    });
    this.s3Url = `s3://${props.bucket.bucketName}/${props.objectKey}`;
    acknowledgeDeployTimeProvider(Stack.of(this).node.findChild('Custom::EmrTlsCertificatesCustomResourceProvider'), REASON, 'S3 and KMS');
  }
}

const REASON = 'The deploy-time function that writes the EMR in-transit certificates; it runs only when CloudFormation creates or updates them';
