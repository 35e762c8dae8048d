import {
  accessTagKey,
  cdkExecutionRoleName,
  dataQualityResultsLocation,
  dataQualityRoleName,
  domainTagKey,
  glueConnectionName,
  glueSecurityConfigurationName,
  ingestionLogGroupName,
  ingestionRoleName,
  lakeLocationRoleName,
  NameError,
  stackPartName,
} from '../../lib/naming';

const scope = { prefix: 'acme', environment: 'prod' };

describe('lake names', () => {
  test('composes the catalog, governance and ingestion names', () => {
    expect(glueSecurityConfigurationName(scope)).toBe('acme-prod-glue');
    expect(glueConnectionName(scope, 'sales/erp-replica')).toBe('acme-prod-jdbc-sales-erp-replica');
    expect(ingestionRoleName(scope, 'customer_care')).toBe('acme-prod-ingest-customer-care');
    expect(ingestionLogGroupName(scope, 'sales')).toBe('/aws-glue/acme-prod/ingest-sales');
    expect(dataQualityRoleName(scope, 'customer_care')).toBe('acme-prod-quality-customer-care');
    expect(dataQualityResultsLocation(scope, '333333333333', 'eu-west-1')).toBe('s3://acme-prod-bronze-333333333333-eu-west-1/_data_quality/results/');
    expect(lakeLocationRoleName(scope)).toBe('acme-prod-lake-locations');
    expect(accessTagKey(scope, 'data-science')).toBe('acme_prod_access_data-science');
    expect(domainTagKey(scope)).toBe('acme_prod_domain');
    expect(cdkExecutionRoleName('333333333333', 'eu-west-1')).toBe('cdk-hnb659fds-cfn-exec-role-333333333333-eu-west-1');
  });

  test('per-domain stacks are <prefix>-<env>-<concern>-<domain> with hyphens for underscores', () => {
    expect(stackPartName(scope, 'catalog', 'customer_care')).toBe('acme-prod-catalog-customer-care');
    expect(stackPartName(scope, 'ingestion', 'sales')).toBe('acme-prod-ingestion-sales');
  });

  test('fails when an ingestion role name exceeds 64 characters', () => {
    expect(() => ingestionRoleName({ prefix: 'acmecorporat', environment: 'production' }, 'a'.repeat(40))).toThrow(NameError);
    expect(() => ingestionRoleName({ prefix: 'acmecorporat', environment: 'production' }, 'a'.repeat(40))).toThrow(
      /IAM role name ".*" is 71 characters; allowed: 1-64/,
    );
  });
});
