import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { EmrTlsCertificates } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

// The function's code is plain CommonJS, run as it is by Lambda.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const certificates = require('../../../constructs/aws/jobs/tls/certificates.js') as {
  selfSignedCertificate(options: { dnsNames: string[]; organization: string; validityDays: number; now?: Date }): {
    certificatePem: string;
    privateKeyPem: string;
  };
  emrCertificateZip(options: { dnsNames: string[]; organization: string; validityDays: number }): Buffer;
};

describe('EMR in-transit certificates (the function code)', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  const issued = certificates.selfSignedCertificate({
    dnsNames: ['*.eu-west-1.compute.internal', '*.ec2.internal'],
    organization: 'acme prod Spark',
    validityDays: 825,
    now,
  });
  const certificate = new X509Certificate(issued.certificatePem);

  test('issues a certificate for the VPC host names, signed by its own key', () => {
    expect(certificate.subject).toBe('O=acme prod Spark\nCN=*.eu-west-1.compute.internal');
    expect(certificate.subjectAltName).toBe('DNS:*.eu-west-1.compute.internal, DNS:*.ec2.internal');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(issued.privateKeyPem))).toBe(true);
    expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  test('is valid from an hour before issue for the given days', () => {
    expect(new Date(certificate.validFrom).toISOString()).toBe('2026-11-28T09:00:00.000Z');
    expect(new Date(certificate.validTo).toISOString()).toBe('2029-03-02T10:00:00.000Z');
  });

  test('packs the three PEM files EMR reads into a valid zip', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'emr-tls-')), 'certificates.zip');
    writeFileSync(path, certificates.emrCertificateZip({ dnsNames: ['*.eu-west-1.compute.internal'], organization: 'acme', validityDays: 30 }));
    const listing = execFileSync(
      'python3',
      ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(",".join(z.namelist()))', path],
      { encoding: 'utf8' },
    );
    expect(listing.trim()).toBe('privateKey.pem,certificateChain.pem,trustedCertificates.pem');
  });

  test('fails when no DNS name is given or the validity is out of range', () => {
    expect(() => certificates.selfSignedCertificate({ dnsNames: [], organization: 'o', validityDays: 1 })).toThrow('dnsNames must list at least one DNS name');
    expect(() => certificates.selfSignedCertificate({ dnsNames: ['a'], organization: 'o', validityDays: 0 })).toThrow(
      'validityDays (0) must be a whole number from 1 to 3650',
    );
  });
});

describe('EmrTlsCertificates', () => {
  function stack(): Stack {
    return new Stack(testApp(), 'Tls', { env: { account: '111111111111', region: 'eu-west-1' } });
  }

  test("writes the zip with the environment key, for the region's host names, and may only put that one object", () => {
    const scope = stack();
    const bucket = new Bucket(scope, 'Artifacts');
    new EmrTlsCertificates(scope, 'Tls', { bucket, objectKey: 'tls/emr.zip', encryptionKey: new Key(scope, 'Key'), organization: 'acme dev Spark' });
    const template = Template.fromStack(scope);
    template.hasResourceProperties('Custom::EmrTlsCertificates', {
      Key: 'tls/emr.zip',
      DnsNames: ['*.eu-west-1.compute.internal'],
      ValidityDays: 825,
      Rotation: '1',
    });
    const role = Object.values(template.findResources('AWS::IAM::Role'))[0];
    const actions = role.Properties.Policies.flatMap((policy: { PolicyDocument: { Statement: Array<{ Action: string[] }> } }) =>
      policy.PolicyDocument.Statement.flatMap((s) => s.Action),
    );
    expect(actions.sort()).toEqual(['kms:Encrypt', 'kms:GenerateDataKey', 's3:PutObject']);
  });

  test('fails when the object key is not a zip', () => {
    const scope = stack();
    expect(
      () =>
        new EmrTlsCertificates(scope, 'Tls', {
          bucket: new Bucket(scope, 'B'),
          objectKey: 'tls/emr.pem',
          encryptionKey: new Key(scope, 'K'),
          organization: 'o',
        }),
    ).toThrow('objectKey (tls/emr.pem) must name a .zip object');
  });
});
