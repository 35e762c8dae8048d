import {
  adlsFilesystemName,
  adlsFilesystemUrl,
  AWS_NAME_RULES,
  AZURE_NAME_RULES,
  checkedAgainst,
  DATABRICKS_NAME_RULES,
  glueDatabaseName,
  kmsAliasName,
  NameError,
  resourceGroupName,
  s3BucketName,
  shortHash,
  stackName,
  storageAccountName,
  terraformStackName,
  unityCatalogName,
} from '../../lib/naming';

const scope = { prefix: 'acme', environment: 'prod' };

describe('naming', () => {
  test('composes every name from prefix and environment', () => {
    expect(stackName(scope, 'storage')).toBe('acme-prod-storage');
    expect(terraformStackName(scope, 'azure', 'storage')).toBe('acme-prod-azure-storage');
    expect(s3BucketName(scope, 'bronze', '333333333333', 'eu-west-1')).toBe('acme-prod-bronze-333333333333-eu-west-1');
    expect(kmsAliasName(scope, 'data')).toBe('alias/acme-prod-data');
    expect(glueDatabaseName(scope, 'silver')).toBe('acme_prod_silver');
    expect(resourceGroupName(scope, 'data')).toBe('rg-acme-prod-data');
    expect(unityCatalogName(scope)).toBe('acme_prod');
    expect(adlsFilesystemName('gold')).toBe('gold');
    expect(adlsFilesystemName('bronze-work')).toBe('bronze-work');
    expect(adlsFilesystemUrl('acmeproddl01', 'bronze-work')).toBe('abfss://bronze-work@acmeproddl01.dfs.core.windows.net/');
    expect(() => adlsFilesystemName('tfstate' as never)).toThrow(
      'adlsFilesystemName: "tfstate" is not an area of the lake; areas: bronze, silver, gold, bronze-work',
    );
  });

  test('storage account names are deterministic, lowercase alphanumerics, and differ per subscription', () => {
    const a = storageAccountName(scope, '8f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1');
    expect(a).toMatch(/^acmeproddl[0-9a-f]{4}$/);
    expect(storageAccountName(scope, '8f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1')).toBe(a);
    expect(storageAccountName(scope, '2b0f3e1a-9c4d-4e6f-8a7b-1c2d3e4f5a6b')).not.toBe(a);
    expect(shortHash('x')).toHaveLength(4);
  });

  test('fails when an S3 bucket name exceeds 63 characters', () => {
    expect(() => s3BucketName({ prefix: 'acmecorporat', environment: 'production' }, 'access-logs-archive', '333333333333', 'ap-southeast-2')).toThrow(
      'S3 bucket name "acmecorporat-production-access-logs-archive-333333333333-ap-southeast-2" is 71 characters; allowed: 3-63',
    );
  });

  test('fails when a storage account name exceeds 24 characters', () => {
    expect(() => storageAccountName({ prefix: 'acmecorporat', environment: 'production' }, 'sub')).toThrow(
      /^Azure storage account name "acmecorporatproductiondl[0-9a-f]{4}" is 28 characters; allowed: 3-24$/,
    );
  });

  test('fails when a storage account name is shorter than 3 characters', () => {
    expect(() => checkedAgainst(AZURE_NAME_RULES.azureStorageAccount, 'ab')).toThrow('Azure storage account name "ab" is 2 characters; allowed: 3-24');
  });

  test('fails when a storage account name has characters Azure does not allow', () => {
    expect(() => checkedAgainst(AZURE_NAME_RULES.azureStorageAccount, 'acme-prod')).toThrow(
      'Azure storage account name "acme-prod" has characters that are not allowed; allowed: lowercase letters and digits only',
    );
  });

  test('fails when a Unity Catalog identifier starts with a digit or has hyphens', () => {
    expect(() => checkedAgainst(DATABRICKS_NAME_RULES.unityCatalogIdentifier, 'acme-prod')).toThrow(NameError);
    expect(() => checkedAgainst(DATABRICKS_NAME_RULES.unityCatalogIdentifier, '1acme')).toThrow(
      'Unity Catalog identifier name "1acme" has characters that are not allowed',
    );
    expect(() => checkedAgainst(DATABRICKS_NAME_RULES.unityCatalogIdentifier, 'a'.repeat(256))).toThrow('is 256 characters; allowed: 1-255');
  });

  test('fails when an S3 bucket name has a double hyphen or uppercase letters', () => {
    expect(() => checkedAgainst(AWS_NAME_RULES.s3Bucket, 'acme--prod')).toThrow(NameError);
    expect(() => checkedAgainst(AWS_NAME_RULES.s3Bucket, 'Acme-prod')).toThrow(NameError);
  });

  test('fails when a KMS alias uses the reserved aws/ namespace', () => {
    expect(() => checkedAgainst(AWS_NAME_RULES.kmsAlias, 'alias/aws/s3')).toThrow(NameError);
  });
});
