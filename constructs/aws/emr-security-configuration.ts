import { Token } from 'aws-cdk-lib';
import { CfnSecurityConfiguration } from 'aws-cdk-lib/aws-emr';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Where the in-transit encryption certificates of the Spark cluster live inside the artifacts bucket. */
export const EMR_TLS_CERTIFICATES_KEY = 'tls/emr-in-transit-certificates.zip';

export interface EmrSecurityConfigurationProps {
  /** Name of the security configuration (see `emrSecurityConfigurationName`). */
  readonly name: string;
  /** Customer-managed key for EMRFS data in S3 (SSE-KMS) and the cluster's local disks and EBS volumes. */
  readonly encryptionKey: IKey;
  /**
   * `s3://` URL of the zip with the PEM files of in-transit encryption (`privateKey.pem`,
   * `certificateChain.pem`, optionally `trustedCertificates.pem`) for the VPC's private host names
   * (`*.<region>.compute.internal`). `EmrTlsCertificates` writes one at deploy time; a zip from the
   * organisation's private CA can take its place. Private keys never belong in the repository or a template.
   */
  readonly tlsCertificatesZip: string;
}

/**
 * An EMR security configuration that encrypts everything: EMRFS objects with SSE-KMS, local disks
 * (instance store and EBS, including the root volume) with the KMS key, and traffic between nodes with
 * TLS (Spark RPC, shuffle, HDFS, web UIs); instances allow IMDSv2 only.
 */
export class EmrSecurityConfiguration extends Construct {
  readonly securityConfiguration: CfnSecurityConfiguration;
  readonly name: string;

  constructor(scope: Construct, id: string, props: EmrSecurityConfigurationProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.tlsCertificatesZip) && !/^s3:\/\/[^/\s]+\/\S+\.zip$/.test(props.tlsCertificatesZip)) {
      throw new Error(`tlsCertificatesZip (${props.tlsCertificatesZip}) must be the s3:// URL of a .zip object, e.g. s3://<bucket>/tls/emr-in-transit.zip`);
    }
    this.name = props.name;
    this.securityConfiguration = new CfnSecurityConfiguration(this, 'Resource', {
      name: props.name,
      securityConfiguration: {
        EncryptionConfiguration: {
          EnableAtRestEncryption: true,
          EnableInTransitEncryption: true,
          AtRestEncryptionConfiguration: {
            S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: props.encryptionKey.keyArn },
            LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: props.encryptionKey.keyArn, EnableEbsEncryption: true },
          },
          InTransitEncryptionConfiguration: {
            TLSCertificateConfiguration: { CertificateProviderType: 'PEM', S3Object: props.tlsCertificatesZip },
          },
        },
        InstanceMetadataServiceConfiguration: { MinimumInstanceMetadataServiceVersion: 2, HttpPutResponseHopLimit: 1 },
      },
    });
  }
}
