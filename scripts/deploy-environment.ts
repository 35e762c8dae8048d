/**
 * `npm run deploy -- <env> [--dry-run]`: deploys one environment, every stack of its plan in deploy order,
 * the way the deploy workflow does (and a person with the environment's credentials can, too):
 * `cdk deploy` of its CloudFormation stacks, then `cdktf deploy` of its Terraform stacks. The identity
 * stacks (`<prefix>-<env>-cicd`, `<prefix>-<env>-azure-cicd`) are left out: an administrator deploys them
 * (README, "Deliver it"). Both apps build only that environment (`cdk deploy -c env=<env>`, and PLATFORM_ENV for
 * both), so deploying one stack does not synthesize every stack of every environment. `--dry-run` prints the
 * commands without running them.
 *
 * Exit codes: 0 deployed (or printed), 1 a deploy failed (the tool's own output says which stack), 2 usage.
 */
import { spawnSync } from 'node:child_process';
import { runApp } from '../lib/config/run-app';
import { deliveryEnvironment } from '../lib/plan';
import { environmentArgument, refuseUnknownOptions, UsageProblem } from './delivery/delivery-args';

const USAGE = 'npm run deploy -- <environment> [--dry-run]';

/** The commands that deploy one environment, in order; the CDK app is told to build only that environment. */
export function deployCommands(environment: string, cdkStacks: readonly string[], cdktfStacks: readonly string[]): string[][] {
  const commands: string[][] = [];
  if (cdkStacks.length > 0)
    commands.push([
      'npx',
      'cdk',
      'deploy',
      '--context',
      `env=${environment}`,
      '--require-approval',
      'never',
      '--concurrency',
      '1',
      '--exclusively',
      '--progress',
      'events',
      ...cdkStacks,
    ]);
  if (cdktfStacks.length > 0)
    commands.push(['npx', 'cdktf', 'deploy', '--auto-approve', '--parallelism', '1', '--ignore-missing-stack-dependencies', ...cdktfStacks]);
  return commands;
}

function main(): void {
  const args = process.argv.slice(2);
  refuseUnknownOptions(args, ['--dry-run']);
  const { config, environment } = environmentArgument(args, USAGE);
  const delivery = deliveryEnvironment(config, environment);
  const commands = deployCommands(environment.name, delivery.cdkStacks, delivery.cdktfStacks);
  process.stdout.write(
    `deploy ${environment.name}: ${delivery.cdkStacks.length} CloudFormation and ${delivery.cdktfStacks.length} Terraform stack(s), in plan order` +
      (delivery.administratorStacks.length > 0 ? `; not the administrator-deployed ${delivery.administratorStacks.join(', ')}` : '') +
      '\n',
  );
  for (const command of commands) {
    process.stdout.write(`$ PLATFORM_ENV=${environment.name} ${command.join(' ')}\n`);
    if (args.includes('--dry-run')) continue;
    const result = spawnSync(command[0], command.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, PLATFORM_ENV: environment.name, CHECKPOINT_DISABLE: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
    });
    if (result.status !== 0) {
      process.stderr.write(`deploy ${environment.name}: \`${command.slice(1, 3).join(' ')}\` failed (exit ${result.status}); later stacks were not deployed\n`);
      process.exitCode = 1;
      return;
    }
  }
}

if (require.main === module)
  void runApp(() => {
    try {
      main();
    } catch (error) {
      if (!(error instanceof UsageProblem)) throw error;
      process.stderr.write(`deploy: ${error.message}\n`);
      process.exitCode = 2;
    }
  });
