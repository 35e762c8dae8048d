import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAwsApp } from '../../bin/aws-app';
import { environmentStacks } from '../../lib/plan/environment-plan';
import { exampleConfig } from '../fixtures/platform';

// A slow suite (jest.config.ts SLOW_SUITES): every stack of every environment through the policy gates.
describe('the policy gates over the example definition', () => {
  const config = exampleConfig();

  test('every stack of the example definition passes cdk-nag and the Control Tower rules', () => {
    const app = buildAwsApp(config, { outdir: join(tmpdir(), `gates-pass-${process.pid}`) });
    const assembly = app.synth();
    const planned = config.environments.flatMap((environment) => environmentStacks(config, environment)).filter((stack) => stack.toolchain === 'cdk');
    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual(planned.map((stack) => stack.name).sort());
    // No context lookup is left for the CLI to make: synth needs no AWS credentials and no network.
    expect(assembly.manifest.missing).toBeUndefined();
  });
});
