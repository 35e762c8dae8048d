import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { changedStacks, summaryMarkdown } from '../../scripts/diff-cloud';
import { stackOfFile } from '../../scripts/synth-compare';
import { deliveryEnvironment } from '../../lib/plan';
import { environmentOf, exampleConfig } from '../fixtures/platform';

function tree(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'diff-cloud-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(content));
  }
  return dir;
}

describe('npm run diff:cloud', () => {
  test('a synthesized file belongs to its stack; app-wide manifests to none', () => {
    expect(stackOfFile('cdk.out/acme-dev-storage.template.json')).toBe('acme-dev-storage');
    expect(stackOfFile('cdk.out/acme-dev-storage.assets.json')).toBe('acme-dev-storage');
    expect(stackOfFile('cdktf.out/stacks/acme-dev-azure-storage/cdk.tf.json')).toBe('acme-dev-azure-storage');
    expect(stackOfFile('cdk.out/manifest.json')).toBeUndefined();
  });

  test('diffs only the stacks whose normalised output changed, new stacks included, in the order given', () => {
    const base = tree({
      'cdk.out/a-storage.template.json': { Resources: { B: { Type: 'AWS::S3::Bucket' } } },
      'cdk.out/a-network.template.json': { Resources: { V: { Type: 'AWS::EC2::VPC' } } },
      'cdktf.out/stacks/a-azure-storage/cdk.tf.json': { resource: { x: 1 } },
    });
    const work = tree({
      // Same content: no change.
      'cdk.out/a-storage.template.json': { Resources: { B: { Type: 'AWS::S3::Bucket' } } },
      'cdk.out/a-network.template.json': { Resources: { V: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } } } },
      'cdk.out/a-new.template.json': { Resources: {} },
      'cdktf.out/stacks/a-azure-storage/cdk.tf.json': { resource: { x: 1 } },
    });
    try {
      expect(changedStacks(base, work, ['a-storage', 'a-network', 'a-new', 'a-azure-storage'])).toEqual(['a-network', 'a-new']);
    } finally {
      rmSync(base, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('the summary lists every stack of the environment, changed or not, and never reports a skipped plan as no change', () => {
    const markdown = summaryMarkdown(
      'dev',
      'origin/main',
      ['a-storage', 'a-azure-storage'],
      [{ stack: 'a-azure-storage', toolchain: 'cdktf', outcome: 'skipped', output: 'no Azure credentials' }],
    );
    expect(markdown).toContain('| a-storage | unchanged | — |');
    expect(markdown).toContain('| a-azure-storage | changed | skipped |');
    expect(markdown).toContain('1 of 2 stack(s) changed against origin/main');
  });

  test('the delivery plan of an environment is its stack plan, in deploy order, split by toolchain', () => {
    const config = exampleConfig();
    const delivery = deliveryEnvironment(config, environmentOf(config, 'dev'));
    expect(delivery.cdkStacks[0]).toBe('acme-dev-storage');
    expect(delivery.cdktfStacks[0]).toBe('acme-dev-azure-monitoring');
    expect(delivery.cdkStacks.every((stack) => !stack.includes('-azure-') && !stack.includes('-databricks-'))).toBe(true);
  });
});
