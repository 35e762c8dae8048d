import { validateDefinition } from '../../../lib/config';
import { environmentOf, exampleDefinition, problemsAfter } from '../../fixtures/platform';

// The Azure additions to the platform definition: their defaults and the errors that name the path.
// (Kept beside the Azure stacks that read them; test/config belongs to the shared config owners.)

const webEvents = (definition: Record<string, any>) => definition.datasets.find((d: any) => d.name === 'web_events');

describe('Azure settings of the platform definition', () => {
  test('defaults the network, monitoring and streaming of each stage', () => {
    const definition = exampleDefinition();
    for (const env of Object.values<any>(definition.environments)) {
      delete env.azure.network;
      delete env.azure.streaming;
      if (env.stage !== 'production') delete env.azure.monitoring;
    }
    const config = validateDefinition(definition, 'test.yaml');
    expect(environmentOf(config, 'dev').azure).toMatchObject({
      network: { addressSpace: '10.10.0.0/16' },
      monitoring: { alertEmails: [], logRetentionDays: 90 }, // the audit retention: audit logs go to the workspace
      streaming: { sku: 'Standard', capacity: 1 },
    });
    expect(environmentOf(config, 'staging').azure?.network.addressSpace).toBe('10.20.0.0/16');
    expect(environmentOf(config, 'prod').azure).toMatchObject({ network: { addressSpace: '10.30.0.0/16' }, streaming: { sku: 'Premium' } });
  });

  test('defaults the warehouse backups and Defender by stage', () => {
    const definition = exampleDefinition();
    definition.environments.prod.azure.warehouse = { adminGroup: 'data-engineering' };
    const config = validateDefinition(definition, 'test.yaml');
    expect(environmentOf(config, 'dev').azure?.warehouse).toEqual({
      adminGroup: 'data-engineering',
      defender: false,
      shortTermRetentionDays: 7,
      longTermRetentionWeeks: 0,
    });
    expect(environmentOf(config, 'prod').azure?.warehouse).toEqual({
      adminGroup: 'data-engineering',
      defender: true,
      shortTermRetentionDays: 35,
      longTermRetentionWeeks: 12,
    });
    expect(environmentOf(config, 'staging').azure?.warehouse).toBeUndefined();
    expect(environmentOf(config, 'staging').azure?.analytics).toBeUndefined();
  });

  test.each<[string, (d: Record<string, any>) => void, string]>([
    [
      'the Synapse admin group has no Entra ID object',
      (d) => (d.environments.dev.azure.analytics.adminGroup = 'marketing-analysts'),
      'environments.dev.azure.analytics.adminGroup: "marketing-analysts" has no entraObjectId; the ' +
        'analytics admin is an Entra ID group, so set groups.marketing-analysts.entraObjectId',
    ],
    [
      'the warehouse keeps backups longer than Azure allows',
      (d) => (d.environments.dev.azure.warehouse.shortTermRetentionDays = 40),
      'environments.dev.azure.warehouse.shortTermRetentionDays: 40 must be a whole number from 1 to 35',
    ],
    [
      'the address space is not a CIDR block',
      (d) => (d.environments.dev.azure.network.addressSpace = '10.10.0.0'),
      'environments.dev.azure.network.addressSpace: "10.10.0.0" must be an IPv4 CIDR block such as 10.10.0.0/16',
    ],
    [
      'the address space has host bits',
      (d) => (d.environments.dev.azure.network.addressSpace = '10.10.1.0/16'),
      'environments.dev.azure.network.addressSpace: "10.10.1.0/16" has host bits set; the network address of /16 must be a multiple of 65536 addresses',
    ],
    [
      'the address space is too small',
      (d) => (d.environments.dev.azure.network.addressSpace = '10.10.0.0/24'),
      'environments.dev.azure.network.addressSpace: "10.10.0.0/24" has prefix /24; allowed: /16 to ' +
        '/22 (the network is split into four subnets of at least /24)',
    ],
    [
      'an octet is out of range',
      (d) => (d.environments.dev.azure.network.addressSpace = '10.300.0.0/16'),
      'environments.dev.azure.network.addressSpace: "10.300.0.0/16" must be an IPv4 CIDR block such as 10.10.0.0/16 (each octet 0-255)',
    ],
    [
      'production alerts reach nobody',
      (d) => delete d.environments.prod.azure.monitoring.alertEmails,
      'environments.prod.azure.monitoring.alertEmails: must name at least one email address in a ' +
        'production environment, so that failed pipelines reach someone',
    ],
    [
      'an alert email is not an address',
      (d) => (d.environments.dev.azure.monitoring.alertEmails = ['oncall']),
      'environments.dev.azure.monitoring.alertEmails[0]: "oncall" must be an email address',
    ],
    [
      'the Event Hubs tier is unknown',
      (d) => (d.environments.dev.azure.streaming = { sku: 'Basic' }),
      'environments.dev.azure.streaming.sku: "Basic" must be one of: Standard, Premium',
    ],
    [
      'a stream has more partitions than Event Hubs Standard allows',
      (d) => (webEvents(d).source.partitions = 64),
      'datasets[5].source.partitions: (64) is more than an Event Hubs Standard event hub can have ' +
        '(32) in environment dev; lower it or set environments.dev.azure.streaming.sku to Premium (dataset ' +
        '"web_events")',
    ],
    [
      'a stream keeps events longer than Event Hubs Standard can',
      (d) => (webEvents(d).source.retentionHours = 336),
      'datasets[5].source.retentionHours: (336) is longer than Event Hubs Standard keeps events (168 ' +
        'hours) in environment dev; lower it or use the Premium tier (dataset "web_events")',
    ],
    [
      'a topic cannot name an event hub',
      (d) => (webEvents(d).source.topic = 'web.clicks.'),
      'datasets[5].source.topic: Event hub name "web.clicks." has characters that are not allowed; ' +
        'allowed: letters, digits, ., _ and -, starting and ending with a letter or digit; on Azure ' +
        'a stream\'s event hub is named after its topic (dataset "web_events")',
    ],
  ])('fails when %s', (_, change, message) => {
    expect(problemsAfter(change)).toContain(message);
  });

  test('fails when a composed Azure name is too long, naming the environment', () => {
    const problems = problemsAfter((d) => {
      d.platform.prefix = 'acmecorporat';
      d.environments.staging.azure.stateBackend.storageAccountName = 'acmetfstatestg';
    });
    expect(problems).toContainEqual(
      expect.stringMatching(/^environments\.staging: Azure Key Vault name "kv-acmecorporat-staging-[0-9a-f]{4}" is 28 characters; allowed: 3-24/),
    );
  });
});
