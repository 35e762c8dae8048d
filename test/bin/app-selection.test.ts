import { Stack } from 'aws-cdk-lib';
import { TerraformStack } from 'cdktf';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { policyGateCacheDirectory, selectedEnvironments } from '../../bin/app-selection';
import { buildAwsApp } from '../../bin/aws-app';
import { buildCdktfApp } from '../../bin/cdktf-app';
import { exampleConfig } from '../fixtures/platform';

const config = exampleConfig();

describe('selectedEnvironments', () => {
  test('is every environment when none is asked for', () => {
    expect(selectedEnvironments(config, undefined).map((env) => env.name)).toEqual(['dev', 'staging', 'prod']);
    expect(selectedEnvironments(config, '').map((env) => env.name)).toEqual(['dev', 'staging', 'prod']);
  });

  test('fails when the environment is unknown, naming where it came from and the environments', () => {
    expect(() => selectedEnvironments(config, 'prd')).toThrow(
      'PLATFORM_ENV: unknown environment "prd" (did you mean "prod"?); environments: dev, staging, prod',
    );
  });
});

describe('one environment at a time', () => {
  const stackNames = (app: { node: { children: readonly unknown[] } }) =>
    app.node.children.flatMap((child) => (Stack.isStack(child) ? [child.stackName] : child instanceof TerraformStack ? [child.node.id] : []));

  // Without a choice, both apps build every environment: test/plan/environment-plan.test.ts (a slow suite) checks them all.
  test('the AWS app builds only the environment asked for', () => {
    const devOnly = stackNames(buildAwsApp(config, { policyGates: false, environment: 'dev' }));
    expect(devOnly.length).toBeGreaterThan(0);
    expect(devOnly.every((name) => name.startsWith('acme-dev-'))).toBe(true);
  });

  test('the AWS app reads PLATFORM_ENV, and the context value env wins over it', () => {
    const environmentsOf = () => new Set(stackNames(buildAwsApp(config, { policyGates: false })).map((name) => name.split('-')[1]));
    process.env.PLATFORM_ENV = 'staging';
    try {
      expect(environmentsOf()).toEqual(new Set(['staging']));
      // `cdk synth -c env=dev` reaches the app as CDK_CONTEXT_JSON.
      process.env.CDK_CONTEXT_JSON = JSON.stringify({ env: 'dev' });
      expect(environmentsOf()).toEqual(new Set(['dev']));
      process.env.CDK_CONTEXT_JSON = JSON.stringify({ env: 'qa' });
      expect(() => buildAwsApp(config, { policyGates: false })).toThrow('context value "env": unknown environment "qa"');
    } finally {
      delete process.env.PLATFORM_ENV;
      delete process.env.CDK_CONTEXT_JSON;
    }
  });

  test('the CDKTF app builds only the environment asked for, and refuses an unknown one', () => {
    const outdir = join(tmpdir(), 'cdktf-out');
    const prodOnly = stackNames(buildCdktfApp(config, { outdir, environment: 'prod' }));
    expect(prodOnly.length).toBeGreaterThan(0);
    expect(prodOnly.every((name) => name.startsWith('acme-prod-'))).toBe(true);
    expect(() => buildCdktfApp(config, { outdir, environment: 'qa' })).toThrow('unknown environment "qa"');
  });
});

describe('policyGateCacheDirectory', () => {
  test('is PLATFORM_GATE_CACHE, none for off, else under the user cache folder', () => {
    expect(policyGateCacheDirectory({ PLATFORM_GATE_CACHE: '/x/cache' })).toBe('/x/cache');
    expect(policyGateCacheDirectory({ PLATFORM_GATE_CACHE: 'off' })).toBeUndefined();
    expect(policyGateCacheDirectory({ XDG_CACHE_HOME: '/home/u/.cache' })).toBe('/home/u/.cache/cloud-platform-solutions/policy-gates');
  });
});
