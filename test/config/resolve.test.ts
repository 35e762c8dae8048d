import { DEFAULT_LIFECYCLE, DEFAULT_SIZING } from '../../lib/config';
import { configWith, environmentOf, exampleConfig } from '../fixtures/platform';

describe('resolved definition', () => {
  test('production always retains data and keeps soft-deleted data for 30 days by default', () => {
    const prod = environmentOf(exampleConfig(), 'prod');
    expect(prod.isProduction).toBe(true);
    expect(prod.dataProtection).toEqual({ retainOnDelete: true, softDeleteDays: 30, kmsKeyDeletionWindowDays: 30, bronzeLockMode: 'compliance' });
  });

  test('a development environment destroys data when the definition says so', () => {
    expect(environmentOf(exampleConfig(), 'dev').dataProtection).toEqual({
      retainOnDelete: false,
      softDeleteDays: 7,
      kmsKeyDeletionWindowDays: 7,
      bronzeLockMode: 'governance',
    });
  });

  test('environment lifecycle overrides merge field by field over the shared lifecycle', () => {
    const config = exampleConfig();
    expect(environmentOf(config, 'dev').lifecycle.bronze).toEqual({
      infrequentAccessAfterDays: 30,
      archiveAfterDays: 180,
      expireAfterDays: 365,
      noncurrentVersionExpireAfterDays: 30,
      retainDays: 7,
      abortIncompleteMultipartUploadAfterDays: 7,
    });
    expect(environmentOf(config, 'prod').lifecycle.bronze.noncurrentVersionExpireAfterDays).toBe(90);
    expect(environmentOf(config, 'prod').lifecycle.bronze.retainDays).toBe(365);
    expect(environmentOf(config, 'prod').lifecycle.silver.retainDays).toBeUndefined();
    expect(environmentOf(config, 'prod').lifecycle.bronze.expireAfterDays).toBeUndefined();
  });

  test('a layer the definition leaves out gets the whole built-in lifecycle', () => {
    const config = configWith((d) => {
      delete d.lifecycle.gold;
      delete d.environments.dev.lifecycle;
    });
    expect(environmentOf(config, 'dev').lifecycle.gold).toEqual(DEFAULT_LIFECYCLE.gold);
  });

  test('bronze is always locked: the default retention and the stage default lock mode fill what the definition leaves out', () => {
    const config = configWith((d) => {
      delete d.lifecycle.bronze.retainDays;
      delete d.environments.dev.lifecycle.bronze.retainDays;
      delete d.environments.dev.lifecycle.bronze.expireAfterDays;
      delete d.environments.dev.dataProtection.bronzeLockMode;
      delete d.environments.prod.dataProtection.bronzeLockMode;
    });
    for (const name of ['dev', 'staging', 'prod']) expect(environmentOf(config, name).lifecycle.bronze.retainDays).toBe(DEFAULT_LIFECYCLE.bronze.retainDays);
    expect(environmentOf(config, 'dev').dataProtection.bronzeLockMode).toBe('governance');
    expect(environmentOf(config, 'staging').dataProtection.bronzeLockMode).toBe('governance');
    expect(environmentOf(config, 'prod').dataProtection.bronzeLockMode).toBe('compliance');
  });

  test('an environment may lock production bronze in governance mode', () => {
    const config = configWith((d) => (d.environments.prod.dataProtection.bronzeLockMode = 'governance'));
    expect(environmentOf(config, 'prod').dataProtection.bronzeLockMode).toBe('governance');
  });

  test('sizing defaults fill what an environment leaves out', () => {
    const config = configWith((d) => delete d.environments.staging.sizing);
    expect(environmentOf(config, 'staging').sizing).toEqual(DEFAULT_SIZING);
  });

  test('groups default their AWS role and Databricks group from their name', () => {
    const groups = exampleConfig().groups;
    expect(groups.analysts).toMatchObject({ awsRoleName: 'acme-analysts', databricksGroup: 'analysts' });
    expect(groups['marketing-analysts'].databricksGroup).toBe('marketing-analytics');
  });

  test('key columns are never nullable and readers default to none', () => {
    const campaigns = exampleConfig().datasets.find((d) => d.name === 'campaigns')!;
    expect(campaigns.columns.find((c) => c.name === 'campaign_id')!.nullable).toBe(false);
    expect(campaigns.columns.find((c) => c.name === 'channel')!.nullable).toBe(true);
    expect(campaigns.readers).toEqual({ bronze: [], silver: [], gold: ['analysts', 'data-science'] });
    expect(campaigns.cdc).toBe(false);
  });

  test('a budget gets USD, thresholds [50, 80, 100], a forecast at 100 % and an anomaly threshold of 10 % by default; no budget stays absent', () => {
    const config = configWith((d) => {
      d.environments.dev.budget = { amount: 300, startDate: '2026-02-01' };
      delete d.environments.staging.budget;
    });
    expect(environmentOf(config, 'dev').budget).toEqual({
      amount: 300,
      currency: 'USD',
      thresholds: [50, 80, 100],
      forecastThresholds: [100],
      recipients: [],
      startDate: '2026-02-01',
      anomalyThreshold: 30,
    });
    expect(environmentOf(config, 'staging').budget).toBeUndefined();
  });
});
