import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { deployCommands } from '../../scripts/deploy-environment';
import { PINNED_ACTIONS, renderWorkflows } from '../../scripts/workflows/render-workflows';
import { workflowInput } from '../../scripts/workflows/workflow-input';
import { exampleConfig } from '../fixtures/platform';

const ROOT = join(__dirname, '..', '..');
const files = renderWorkflows(workflowInput(exampleConfig()));
const deploy = parse(files['.github/workflows/deploy.yml']);
const pullRequest = parse(files['.github/workflows/pull-request.yml']);

/** Every `uses:` of a workflow. */
function usesOf(workflow: { jobs: Record<string, { steps: Array<{ uses?: string }> }> }): string[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.uses ? [step.uses] : [])));
}

describe('GitHub Actions workflows rendered from the definition', () => {
  test('the committed workflows are what the definition renders (run `npm run workflows`)', () => {
    for (const [path, content] of Object.entries(files)) expect(readFileSync(join(ROOT, path), 'utf8')).toBe(content);
  });

  test('deploys every environment in order, each after the previous, in its GitHub environment, never two at once', () => {
    const names = workflowInput(exampleConfig()).environments.map((environment) => environment.name);
    expect(names).toEqual(['dev', 'staging', 'prod']);
    let previous = 'test';
    for (const name of names) {
      const job = deploy.jobs[`deploy-${name}`];
      expect(job.needs).toEqual([previous]);
      expect(job.environment).toBe(name);
      expect(job.concurrency).toEqual({ group: `deploy-${name}`, 'cancel-in-progress': false });
      expect(job.steps.at(-1).run).toBe(`npm run deploy -- ${name}`);
      previous = `deploy-${name}`;
    }
    expect(deploy.on.push.branches).toEqual(['main']);
  });

  test('least privilege: nothing at the top, per job only reading and, where a cloud is signed in to, the OIDC token', () => {
    for (const workflow of [deploy, pullRequest]) {
      expect(workflow.permissions).toEqual({});
      for (const [id, job] of Object.entries<{ permissions: Record<string, string>; steps: Array<{ uses?: string }> }>(workflow.jobs)) {
        const signsIn =
          job.steps.some((step) => step.uses?.startsWith(PINNED_ACTIONS.awsCredentials.repository)) || id.startsWith('deploy-') || id.startsWith('diff-');
        expect(job.permissions).toEqual(signsIn ? { contents: 'read', 'id-token': 'write' } : { contents: 'read' });
      }
    }
  });

  test('every action is pinned by a full commit SHA of the pinned table, and no workflow reads a secret', () => {
    const pinned = Object.values(PINNED_ACTIONS).map((action) => `${action.repository}@${action.commit}`);
    for (const workflow of [deploy, pullRequest]) for (const uses of usesOf(workflow)) expect(pinned).toContain(uses);
    for (const content of Object.values(files)) {
      expect(content).not.toMatch(/secrets\./);
      expect(content).not.toMatch(/aws-access-key-id|client-secret/);
    }
  });

  test('the deploy role of each environment is the one of its account, assumed with its region', () => {
    const step = deploy.jobs['deploy-prod'].steps.find((s: { uses?: string }) => s.uses?.startsWith(PINNED_ACTIONS.awsCredentials.repository));
    const prod = exampleConfig().environments.find((environment) => environment.name === 'prod')!;
    expect(step.with['role-to-assume']).toBe(`arn:aws:iam::${prod.aws!.account}:role/acme-prod-github-deploy`);
    expect(step.with['aws-region']).toBe(prod.aws!.region);
  });

  test('pull requests run the tests, the stateful-change gate against the base branch and a diff per environment', () => {
    expect(Object.keys(pullRequest.jobs)).toEqual(['test', 'stateful-changes', 'diff-dev', 'diff-staging', 'diff-prod']);
    const gate = pullRequest.jobs['stateful-changes'].steps.at(-1);
    expect(gate.run).toBe('npm run diff:safety -- "origin/$BASE_REF"');
    expect(gate.env.BASE_REF).toBe('${{ github.base_ref }}');
    expect(pullRequest.jobs['diff-prod'].steps.at(-1).run).toContain('npm run diff:cloud -- prod --base "origin/$BASE_REF"');
  });

  test('deploy runs cdk deploy (building only its environment) then cdktf deploy, one stack at a time, and nothing when an environment has no stacks', () => {
    expect(deployCommands('dev', ['a-storage', 'a-network'], ['a-azure-monitoring'])).toEqual([
      [
        'npx',
        'cdk',
        'deploy',
        '--context',
        'env=dev',
        '--require-approval',
        'never',
        '--concurrency',
        '1',
        '--exclusively',
        '--progress',
        'events',
        'a-storage',
        'a-network',
      ],
      ['npx', 'cdktf', 'deploy', '--auto-approve', '--parallelism', '1', '--ignore-missing-stack-dependencies', 'a-azure-monitoring'],
    ]);
    expect(deployCommands('dev', [], [])).toEqual([]);
  });
});

describe('npm run lint:workflows (actionlint and zizmor)', () => {
  function lint(workflow: string): { status: number | null; output: string } {
    const dir = mkdtempSync(join(tmpdir(), 'workflows-'));
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'ci.yml'), workflow);
      const result = spawnSync('bash', ['scripts/lint-workflows.sh'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, WORKFLOW_DIR: dir } });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test('passes the rendered workflows and refuses an unpinned action, broad permissions and an injected expression', () => {
    expect(lint(files['.github/workflows/deploy.yml']).status).toBe(0);
    const bad = [
      'name: bad',
      'on: pull_request',
      'permissions: write-all',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '',
    ].join('\n');
    const result = lint(bad);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/unpinned-uses/);
    expect(result.output).toMatch(/template-injection/);
    expect(result.output).toMatch(/excessive-permissions/);
  }, 120_000);
});
