/**
 * The GitHub Actions workflows, rendered from the delivery plan (lib/plan/delivery-plan.ts) and the
 * definition's `cicd` section. Pure: definition in, file contents out; `npm run workflows` writes them and
 * `npm run workflows -- --check` (in `npm test`) fails when the committed files differ.
 *
 * Security rules every rendered job follows (zizmor and actionlint check them in `npm test`):
 * - third-party actions pinned by full commit SHA (the tag in a comment, for people and Dependabot);
 * - `permissions: {}` at the top, and per job only what the job needs (`id-token: write` only where a job
 *   signs in to a cloud with OIDC);
 * - no long-lived cloud secrets: AWS roles are assumed with GitHub's OIDC token; Terraform's azurerm and
 *   databricks providers use the same token (ARM_USE_OIDC, DATABRICKS_AUTH_TYPE=github-oidc-azure);
 * - `persist-credentials: false` on every checkout, no dependency caches in jobs that hold deploy rights,
 *   and no `${{ }}` expression of untrusted input inside a `run:` script (passed through `env:`).
 */
import { stringify } from 'yaml';

/** A pinned action: the commit its tag pointed to when pinned (verified against the action's repository). */
interface PinnedAction {
  readonly repository: string;
  readonly commit: string;
  readonly tag: string;
}

/** Every action the workflows use; bump a tag and its commit together. */
export const PINNED_ACTIONS = {
  checkout: { repository: 'actions/checkout', commit: '3d3c42e5aac5ba805825da76410c181273ba90b1', tag: 'v7.0.1' },
  setupNode: { repository: 'actions/setup-node', commit: '820762786026740c76f36085b0efc47a31fe5020', tag: 'v7.0.0' },
  setupPython: { repository: 'actions/setup-python', commit: '5fda3b95a4ea91299a34e894583c3862153e4b97', tag: 'v7.0.0' },
  setupGo: { repository: 'actions/setup-go', commit: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e', tag: 'v7.0.0' },
  setupTerraform: { repository: 'hashicorp/setup-terraform', commit: 'dfe3c3f87815947d99a8997f908cb6525fc44e9e', tag: 'v4.0.1' },
  awsCredentials: { repository: 'aws-actions/configure-aws-credentials', commit: 'e6de054238d6b7531b4efff3b6587d9aade6a06c', tag: 'v6.2.3' },
} as const satisfies Record<string, PinnedAction>;

/** Toolchain versions of the CI runners; the same majors the project is developed with (README, "Set up"). */
export const RUNNER_TOOLCHAIN = {
  runner: 'ubuntu-24.04',
  node: '20',
  python: '3.11',
  go: '1.26',
  terraform: '1.11.4',
} as const;

/** One environment the deploy workflow promotes a change through. */
export interface WorkflowEnvironment {
  /** The platform environment (`npm run deploy -- <name>`). */
  readonly name: string;
  /** The GitHub environment the deploy job runs in: its protection rules hold the required reviewers. */
  readonly githubEnvironment: string;
  /** The CloudFormation stacks of the environment the pipeline deploys. */
  readonly cdkStacks: readonly string[];
  /** The Terraform stacks of the environment the pipeline deploys. */
  readonly cdktfStacks: readonly string[];
  /** The AWS side: the role the deploy job assumes, and the read-only role pull requests diff with. */
  readonly aws?: { readonly region: string; readonly deployRoleArn: string; readonly planRoleArn: string };
  /** The Azure side: the tenant and subscription; the managed identity's client id is a variable of the GitHub environment. */
  readonly azure?: { readonly tenantId: string; readonly subscriptionId: string };
}

export interface WorkflowInput {
  /** The branch changes are promoted from. */
  readonly mainBranch: string;
  /** Deploy order: the first deploys automatically after the tests, each next one after the previous succeeded. */
  readonly environments: readonly WorkflowEnvironment[];
}

type Step = Record<string, unknown>;
type Job = Record<string, unknown>;

function uses(action: PinnedAction, inputs?: Record<string, string | boolean>): Step {
  return { uses: `${action.repository}@${action.commit}`, ...(inputs ? { with: inputs } : {}) };
}

const checkout = (inputs: Record<string, string | boolean | number> = {}): Step => ({
  name: 'Check out',
  ...uses(PINNED_ACTIONS.checkout, { 'persist-credentials': false, ...inputs } as Record<string, string | boolean>),
});
const setupNode = (): Step => ({
  name: 'Set up Node.js',
  ...uses(PINNED_ACTIONS.setupNode, { 'node-version': RUNNER_TOOLCHAIN.node, 'package-manager-cache': false }),
});
const setupTerraform = (): Step => ({
  name: 'Set up Terraform',
  ...uses(PINNED_ACTIONS.setupTerraform, { terraform_version: RUNNER_TOOLCHAIN.terraform, terraform_wrapper: false }),
});
const npmCi: Step = { name: 'Install', run: 'npm ci --no-audit --no-fund' };

/** Environment variables that switch every tool's telemetry and update checks off (as .ci/run does). */
const QUIET_TOOLS = {
  CI: 'true',
  CHECKPOINT_DISABLE: '1',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
  DO_NOT_TRACK: '1',
};

/** Terraform's providers sign in with the job's OIDC token: azurerm (ARM_USE_OIDC) and databricks (github-oidc-azure). */
function azureOidcEnvironment(azure: NonNullable<WorkflowEnvironment['azure']>, clientIdVariable: string): Record<string, string> {
  return {
    ARM_USE_OIDC: 'true',
    ARM_CLIENT_ID: `\${{ vars.${clientIdVariable} }}`,
    ARM_TENANT_ID: azure.tenantId,
    ARM_SUBSCRIPTION_ID: azure.subscriptionId,
    DATABRICKS_AUTH_TYPE: 'github-oidc-azure',
  };
}

function awsCredentials(region: string, roleArn: string, sessionName: string): Step {
  return {
    name: 'Assume the AWS role (OIDC)',
    ...uses(PINNED_ACTIONS.awsCredentials, {
      'aws-region': region,
      'role-to-assume': roleArn,
      'role-session-name': sessionName,
      'role-duration-seconds': '3600',
    }),
  };
}

/**
 * The repository variable holding the client id of an environment's Azure plan identity
 * (`id-<prefix>-<env>-github-plan`, output `plan_client_id` of `<prefix>-<env>-azure-cicd`): pull-request
 * jobs run in no GitHub environment, so each environment's id is a repository variable of its own.
 */
export function planClientIdVariable(environment: string): string {
  return `AZURE_PLAN_CLIENT_ID_${environment.toUpperCase()}`;
}

/** `.ci/run`: the README's setup and test commands, with the tools the tests need. */
function testJob(): Job {
  return {
    name: 'npm test',
    'runs-on': RUNNER_TOOLCHAIN.runner,
    'timeout-minutes': 60,
    permissions: { contents: 'read' },
    steps: [
      checkout(),
      setupNode(),
      { name: 'Set up Python', ...uses(PINNED_ACTIONS.setupPython, { 'python-version': RUNNER_TOOLCHAIN.python }) },
      // actionlint is built from the Go module proxy by scripts/lint-workflows.sh.
      { name: 'Set up Go', ...uses(PINNED_ACTIONS.setupGo, { 'go-version': RUNNER_TOOLCHAIN.go, cache: false }) },
      // `terraform validate` of every stack; on runners the providers come from the registry.
      setupTerraform(),
      { name: 'Test (.ci/run)', run: 'bash .ci/run' },
    ],
  };
}

const HEADER = (command: string) =>
  [
    `# Generated by \`${command}\` from platform.yaml (its cicd section and the stack plan); do not edit.`,
    '# `npm test` fails when this file and the definition disagree.',
    '',
  ].join('\n');

/** The deploy workflow: on the main branch, tests, then each environment in order, one at a time. */
export function renderDeployWorkflow(input: WorkflowInput): string {
  const jobs: Record<string, Job> = { test: testJob() };
  let previous = 'test';
  for (const environment of input.environments) {
    const id = `deploy-${environment.name}`;
    const steps: Step[] = [checkout(), setupNode()];
    if (environment.cdktfStacks.length > 0) steps.push(setupTerraform());
    steps.push(npmCi);
    if (environment.aws) steps.push(awsCredentials(environment.aws.region, environment.aws.deployRoleArn, `github-deploy-${environment.name}`));
    steps.push({
      name: `Deploy ${environment.name} (${environment.cdkStacks.length + environment.cdktfStacks.length} stacks, in plan order)`,
      ...(environment.azure ? { env: azureOidcEnvironment(environment.azure, 'AZURE_CLIENT_ID') } : {}),
      run: `npm run deploy -- ${environment.name}`,
    });
    jobs[id] = {
      name: `deploy ${environment.name}`,
      needs: [previous],
      'runs-on': RUNNER_TOOLCHAIN.runner,
      'timeout-minutes': 120,
      environment: environment.githubEnvironment,
      // Two deploys of one environment never overlap; a queued one waits instead of cancelling a running one.
      concurrency: { group: `deploy-${environment.name}`, 'cancel-in-progress': false },
      permissions: { contents: 'read', 'id-token': 'write' },
      env: QUIET_TOOLS,
      steps,
    };
    previous = id;
  }
  const workflow = {
    name: 'deploy',
    on: { push: { branches: [input.mainBranch] }, workflow_dispatch: {} },
    permissions: {},
    // One deploy run at a time; while one runs, only the newest waiting push is kept (it contains the others).
    concurrency: { group: 'deploy', 'cancel-in-progress': false },
    jobs,
  };
  return document(workflow);
}

/** The pull-request workflow: tests, the stateful-change gate, and a cloud diff of each environment's changed stacks. */
export function renderPullRequestWorkflow(input: WorkflowInput): string {
  const jobs: Record<string, Job> = {
    test: testJob(),
    'stateful-changes': {
      name: 'stateful-change gate',
      'runs-on': RUNNER_TOOLCHAIN.runner,
      'timeout-minutes': 30,
      permissions: { contents: 'read' },
      env: QUIET_TOOLS,
      steps: [
        checkout({ 'fetch-depth': 0 }),
        setupNode(),
        npmCi,
        { name: 'Set up Python tools', run: 'npm run setup' },
        {
          name: 'Refuse deleting or replacing stateful resources',
          env: { BASE_REF: '${{ github.base_ref }}' },
          run: 'npm run diff:safety -- "origin/$BASE_REF"',
        },
      ],
    },
  };
  for (const environment of input.environments) {
    const steps: Step[] = [checkout({ 'fetch-depth': 0 }), setupNode()];
    if (environment.cdktfStacks.length > 0) steps.push(setupTerraform());
    steps.push(npmCi, { name: 'Set up Python tools', run: 'npm run setup' });
    if (environment.aws) steps.push(awsCredentials(environment.aws.region, environment.aws.planRoleArn, `github-plan-${environment.name}`));
    steps.push({
      name: `Diff the changed stacks of ${environment.name}`,
      env: {
        BASE_REF: '${{ github.base_ref }}',
        ...(environment.azure ? azureOidcEnvironment(environment.azure, planClientIdVariable(environment.name)) : {}),
      },
      run: `npm run diff:cloud -- ${environment.name} --base "origin/$BASE_REF" --summary "$GITHUB_STEP_SUMMARY"`,
    });
    jobs[`diff-${environment.name}`] = {
      name: `diff ${environment.name}`,
      'runs-on': RUNNER_TOOLCHAIN.runner,
      'timeout-minutes': 60,
      // Read-only: the plan role may assume only the CDK lookup role; the Azure plan identity reads.
      permissions: { contents: 'read', 'id-token': 'write' },
      env: QUIET_TOOLS,
      steps,
    };
  }
  const workflow = {
    name: 'pull request',
    on: { pull_request: { branches: [input.mainBranch] } },
    permissions: {},
    concurrency: { group: 'pull-request-${{ github.event.pull_request.number }}', 'cancel-in-progress': true },
    jobs,
  };
  return document(workflow);
}

/** YAML of a workflow, below the generated-file header, each pinned commit followed by its tag. */
function document(workflow: object): string {
  let yaml = stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false });
  for (const action of Object.values(PINNED_ACTIONS)) yaml = yaml.split(`@${action.commit}\n`).join(`@${action.commit} # ${action.tag}\n`);
  yaml = yaml.split('id-token: write\n').join('id-token: write # the OIDC token the cloud roles and identities are assumed with\n');
  return HEADER('npm run workflows') + yaml;
}

/** Every workflow file, by path below the repository root. */
export function renderWorkflows(input: WorkflowInput): Record<string, string> {
  return {
    '.github/workflows/pull-request.yml': renderPullRequestWorkflow(input),
    '.github/workflows/deploy.yml': renderDeployWorkflow(input),
  };
}
