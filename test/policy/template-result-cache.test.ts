import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import cdkJson from '../../cdk.json';
import { addAwsPolicyGates, TemplateResultCache, validateOncePerTemplate } from '../../lib/policy';

/** A context over templates written to a scratch folder, as aws-cdk-lib hands it to a plugin. */
function contextOf(templates: Record<string, object>): IPolicyValidationContext {
  const dir = mkdtempSync(join(tmpdir(), 'templates-'));
  const stackTemplates = Object.entries(templates).map(([name, template]) => {
    const templatePath = join(dir, `${name}.template.json`);
    writeFileSync(templatePath, JSON.stringify(template));
    return { stackConstructPath: name, templatePath, accountId: '111111111111', region: 'eu-west-1' };
  });
  return { stackTemplates, templatePaths: stackTemplates.map((t) => t.templatePath) } as unknown as IPolicyValidationContext;
}

const GOOD = { Resources: { Ok: { Type: 'AWS::SNS::Topic' } } };
const BAD = { Resources: { Open: { Type: 'AWS::S3::Bucket' } } };

/** A gate that fails every template holding a bucket, and counts the templates it was asked to check. */
function countingGate(checked: string[]) {
  return (context: IPolicyValidationContext): PolicyValidationPluginReport => {
    checked.push(...context.stackTemplates.map((t) => t.stackConstructPath));
    const violations = context.stackTemplates
      .filter((t) => t.stackConstructPath.startsWith('bad'))
      .map((t) => ({
        ruleName: 'NO_BUCKETS',
        description: 'no buckets',
        severity: 'error',
        violatingResources: [{ resourceLogicalId: 'Open', templatePath: t.templatePath, locations: [] }],
      }));
    return { success: violations.length === 0, violations };
  };
}

describe('validateOncePerTemplate', () => {
  test('checks each distinct template once, in one call, and reuses its result for the same content, account and region', () => {
    const cache = new TemplateResultCache(mkdtempSync(join(tmpdir(), 'gate-cache-')), 'test-gate', 'rules-v1');
    const checked: string[] = [];
    const first = validateOncePerTemplate(contextOf({ good: GOOD, bad: BAD }), cache, countingGate(checked));
    expect(checked).toEqual(['good', 'bad']);
    expect(first.success).toBe(false);

    // Same contents under other paths (another synth): nothing is checked again, and the finding still fails.
    const again = contextOf({ good: GOOD, bad: BAD });
    const second = validateOncePerTemplate(again, cache, countingGate(checked));
    expect(checked).toEqual(['good', 'bad']);
    expect(second.success).toBe(false);
    expect(second.violations).toEqual([
      expect.objectContaining({
        ruleName: 'NO_BUCKETS',
        violatingResources: [expect.objectContaining({ resourceLogicalId: 'Open', templatePath: again.templatePaths[1] })],
      }),
    ]);
  });

  test('checks a template again when its content, its region or the rules change', () => {
    const directory = mkdtempSync(join(tmpdir(), 'gate-cache-'));
    const checked: string[] = [];
    validateOncePerTemplate(contextOf({ good: GOOD }), new TemplateResultCache(directory, 'test-gate', 'rules-v1'), countingGate(checked));
    validateOncePerTemplate(
      contextOf({ good: { Resources: { Other: { Type: 'AWS::SQS::Queue' } } } }),
      new TemplateResultCache(directory, 'test-gate', 'rules-v1'),
      countingGate(checked),
    );
    validateOncePerTemplate(contextOf({ good: GOOD }), new TemplateResultCache(directory, 'test-gate', 'rules-v2'), countingGate(checked));
    const otherRegion = contextOf({ good: GOOD });
    (otherRegion.stackTemplates[0] as { region: string }).region = 'us-east-1';
    validateOncePerTemplate(otherRegion, new TemplateResultCache(directory, 'test-gate', 'rules-v1'), countingGate(checked));
    expect(checked).toEqual(['good', 'good', 'good', 'good']);
  });

  test('caches nothing when a failure names no template', () => {
    const directory = mkdtempSync(join(tmpdir(), 'gate-cache-'));
    const cache = new TemplateResultCache(directory, 'test-gate', 'rules-v1');
    const report = validateOncePerTemplate(contextOf({ good: GOOD }), cache, () => ({ success: false, violations: [] }));
    expect(report.success).toBe(false);
    expect(readdirSync(directory)).toEqual([]);
  });
});

describe('addAwsPolicyGates with a cache directory', () => {
  function appWithBucket(cacheDirectory: string): App {
    const app = new App({ context: cdkJson.context, outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')) });
    addAwsPolicyGates(app, { cacheDirectory });
    new Bucket(new Stack(app, 'Gated', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Unguarded');
    return app;
  }

  test('fails synth on a Control Tower finding the first time and again from the cache', () => {
    const cacheDirectory = mkdtempSync(join(tmpdir(), 'gate-cache-'));
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => appWithBucket(cacheDirectory).synth()).toThrow(/CT\.S3\.PR\.10/);
      expect(readdirSync(join(cacheDirectory, 'cdk-validator-cfnguard')).length).toBeGreaterThan(0);
      expect(() => appWithBucket(cacheDirectory).synth()).toThrow(/CT\.S3\.PR\.10/);
    } finally {
      log.mockRestore();
    }
  });
});
