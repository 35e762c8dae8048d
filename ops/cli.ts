import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isUserError } from '../lib/config/run-app';
import { closestMatch } from '../lib/definition/closest-match';
import { DEFAULT_DEFINITION_FILE, loadPlatformConfig } from '../lib/config';
import { type EnvironmentConfig, type PlatformConfig } from '../lib/definition';
import type { OpsClients } from './aws-clients';
import { asOpsError } from './aws-errors';
import { awsEnvironments, awsTarget, environmentNamed } from './aws-target';
import { unknownChoiceError } from './choices';
import { type Clock, systemClock } from './clock';
import { platformDiagram } from './diagram';
import { parseDuration } from './duration';
import { OpsError, UsageError } from './errors';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { type Command, COMMANDS, HELP } from './help';
import { DEFAULT_HTTP_TIMEOUTS, HTTP_TIMEOUT_ENV, type HttpTimeouts } from './http-timeouts';
import { formatInventory, inventoryOf } from './inventory';
import { pipelineNamed, pipelinesOf, type RunPlan, RunTargetError, runPlan } from '../lib/pipelines/pipelines';
import { SparkRuntimeError, sparkRuntimeFor } from '../lib/pipelines/spark-runtime';
import type { SparkRuntime } from '../lib/definition';
import { ProgressDisplay, type ProgressOutput } from './progress';
import type { RestClient } from './rest';
import type { RetryOptions } from './retry';
import { formatRunReport, runExitCode, runReportJson } from './run-report';
import { RUN_CLOUDS, type PipelineRunner, type RunCloud } from './run-pipeline';
import type { StatusReport } from './status';
import { validationReport, validationJson } from './validation-report';
import { DEADLINE_GRACE_MS } from './wait';

/** Everything the CLI touches outside itself, so that tests can run it in-process. */
export interface CliIo {
  readonly stdout: ProgressOutput;
  readonly stderr: ProgressOutput;
  /**
   * Environment variables: PLATFORM_CONFIG, PLATFORM_ENV, PLATFORM_CONNECT_TIMEOUT, PLATFORM_REQUEST_TIMEOUT,
   * AWS_MAX_ATTEMPTS, AWS_PROFILE (and AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, HOME to explain a missing profile).
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Aborted on Ctrl-C: `run` stops waiting. */
  readonly signal?: AbortSignal;
  /** @default createOpsClients (default credential chain, AWS_ENDPOINT_URL, the connection and request timeouts) */
  readonly createClients?: (region: string, timeouts: HttpTimeouts) => OpsClients;
  /** Backoff of retried AWS calls. @default see retry.ts */
  readonly retry?: RetryOptions;
  /**
   * A Microsoft Entra access token for `scope` (Azure Resource Manager, Azure Databricks).
   * @default @azure/identity's DefaultAzureCredential (environment, workload identity, managed identity, Azure CLI)
   */
  readonly azureToken?: (scope: string) => Promise<string>;
}

/** Where Azure Resource Manager is, unless --endpoint or PLATFORM_ARM_ENDPOINT says otherwise (e.g. a sovereign cloud). */
const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';
/** The Entra scope of Azure Resource Manager tokens. */
const ARM_SCOPE = 'https://management.azure.com/.default';
/** The Entra scope of Azure Databricks tokens (the AzureDatabricks first-party application). */
const AZURE_DATABRICKS_SCOPE = '2ff814a6-357e-45b5-b3d3-a3b9b8d0ed7a/.default';

const DEFAULT_POLL_INTERVAL = '15s';

const COMMON_OPTIONS = {
  config: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options of the commands that call AWS. */
const AWS_OPTIONS = {
  'connect-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
} as const;

const OPTIONS = {
  validate: { ...COMMON_OPTIONS, json: { type: 'boolean' } },
  list: { ...COMMON_OPTIONS, env: { type: 'string' }, json: { type: 'boolean' } },
  run: {
    ...COMMON_OPTIONS,
    ...AWS_OPTIONS,
    env: { type: 'string' },
    cloud: { type: 'string' },
    endpoint: { type: 'string' },
    wait: { type: 'boolean' },
    'wait-for-running': { type: 'boolean' },
    timeout: { type: 'string' },
    'poll-interval': { type: 'string' },
    'skip-ingestion': { type: 'boolean' },
    on: { type: 'string' },
    json: { type: 'boolean' },
  },
  status: {
    ...COMMON_OPTIONS,
    ...AWS_OPTIONS,
    env: { type: 'string' },
    cloud: { type: 'string' },
    endpoint: { type: 'string' },
    json: { type: 'boolean' },
    'query-timeout': { type: 'string' },
  },
  diagram: { ...COMMON_OPTIONS, env: { type: 'string' }, output: { type: 'string' } },
} as const;

/** Positional arguments each command takes: [required, allowed]. */
const POSITIONALS: Record<Command, [number, number, string]> = {
  validate: [0, 0, ''],
  list: [0, 0, ''],
  run: [1, 1, '<pipeline|dataset>'],
  status: [0, 1, '[<pipeline>]'],
  diagram: [0, 0, ''],
};

interface Parsed {
  readonly command: Command;
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
}

/** Turns node:util parseArgs errors into usage errors that name the option and suggest the closest one. */
function parseError(error: unknown, command: Command): UsageError {
  const message = (error as Error).message;
  const code = (error as { code?: string }).code;
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const known = Object.keys(OPTIONS[command]).map((name) => `--${name}`);
    const suggestion = closestMatch(option, known);
    return new UsageError(
      `unknown option ${option} for "platform ${command}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}; options: ${known.join(', ')}`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return new UsageError(`option ${option} of "platform ${command}" ${message.includes('argument missing') ? 'needs a value' : 'takes no value'}`);
  }
  return new UsageError(message);
}

function parse(argv: readonly string[]): Parsed | 'main-help' {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) return 'main-help';
  if (first === 'help') return parse([rest[0], '--help']);
  if (first.startsWith('-')) {
    if (first === '--config' || first === '--debug') throw new UsageError(`put ${first} after the command, e.g. "platform validate ${first}"`);
    throw new UsageError(`"${first}" is not a command; commands: ${COMMANDS.join(', ')}`);
  }
  if (!(COMMANDS as readonly string[]).includes(first)) throw unknownChoiceError('command', first, COMMANDS);
  const command = first as Command;
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: OPTIONS[command], allowPositionals: true, strict: true });
  } catch (error) {
    throw parseError(error, command);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (!values.help) {
    const [required, allowed, shape] = POSITIONALS[command];
    if (parsed.positionals.length < required) throw new UsageError(`"platform ${command}" needs ${shape}`);
    if (parsed.positionals.length > allowed) {
      throw new UsageError(`"platform ${command}" takes ${allowed === 0 ? 'no arguments' : shape}; unexpected: ${parsed.positionals.slice(allowed).join(' ')}`);
    }
  }
  return { command, values, positionals: parsed.positionals };
}

class Cli {
  private readonly clock: Clock;

  constructor(
    private readonly io: CliIo,
    private readonly parsed: Parsed,
  ) {
    this.clock = io.clock ?? systemClock;
  }

  private get values() {
    return this.parsed.values;
  }

  private print(text: string, stream: ProgressOutput = this.io.stdout): void {
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  private printJson(value: unknown): void {
    this.print(JSON.stringify(value, null, 2));
  }

  private config(): PlatformConfig {
    return loadPlatformConfig((this.values.config as string | undefined) ?? this.io.env.PLATFORM_CONFIG ?? DEFAULT_DEFINITION_FILE);
  }

  private envName(config: PlatformConfig): string {
    const name = (this.values.env as string | undefined) ?? this.io.env.PLATFORM_ENV;
    if (!name)
      throw new UsageError(
        `"platform ${this.parsed.command}" needs --env <env> (or PLATFORM_ENV); environments: ${config.environments.map((env) => env.name).join(', ')}`,
      );
    return name;
  }

  private retry(): RetryOptions {
    const debug = this.values.debug === true;
    const maxAttempts = Number(this.io.env.AWS_MAX_ATTEMPTS);
    return {
      clock: this.clock,
      ...(Number.isInteger(maxAttempts) && maxAttempts > 0 ? { maxAttempts } : {}),
      ...this.io.retry,
      onRetry: (error, attempt, delayMs) => {
        if (debug)
          this.print(`debug: attempt ${attempt} failed (${(error as Error).name}: ${(error as Error).message}); retrying in ${delayMs} ms`, this.io.stderr);
      },
    };
  }

  /** Connection and request timeouts of every AWS call: the options, else the environment, else the defaults. */
  private httpTimeouts(): HttpTimeouts {
    const duration = (option: string, variable: string, fallback: number) => {
      const flag = this.values[option] as string | undefined;
      const env = this.io.env[variable];
      const [text, name] = flag !== undefined ? [flag, `--${option}`] : [env, variable];
      if (text === undefined || text === '') return fallback;
      const ms = parseDuration(text, name);
      // The SDK reads 0 as "no timeout": exactly the hang these timeouts prevent.
      if (ms <= 0) throw new UsageError(`${name} "${text}" must be longer than 0 (the SDK would wait for ever), e.g. 5s or 30s`);
      return ms;
    };
    return {
      connectionTimeoutMs: duration('connect-timeout', HTTP_TIMEOUT_ENV.connect, DEFAULT_HTTP_TIMEOUTS.connectionTimeoutMs),
      requestTimeoutMs: duration('request-timeout', HTTP_TIMEOUT_ENV.request, DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs),
    };
  }

  private async withClients<T>(region: string, use: (clients: OpsClients) => Promise<T>): Promise<T> {
    const timeouts = this.httpTimeouts();
    // The SDK loads only for the commands that call AWS: validate, list and diagram start faster.
    const { createOpsClients, destroyOpsClients } = await import('./aws-clients');
    const clients = (this.io.createClients ?? createOpsClients)(region, timeouts);
    try {
      return await use(clients);
    } finally {
      destroyOpsClients(clients);
    }
  }

  async execute(): Promise<ExitCode> {
    switch (this.parsed.command) {
      case 'validate':
        return this.validate();
      case 'list':
        return this.list();
      case 'run':
        return this.run();
      case 'status':
        return this.status();
      case 'diagram':
        return this.diagram();
    }
  }

  private validate(): ExitCode {
    const config = this.config();
    if (this.values.json) this.printJson(validationJson(config));
    else this.print(validationReport(config));
    return EXIT_CODES.ok;
  }

  private list(): ExitCode {
    const config = this.config();
    const inventory = inventoryOf(config, environmentNamed(config, this.envName(config)));
    if (this.values.json) this.printJson(inventory);
    else this.print(formatInventory(inventory));
    return EXIT_CODES.ok;
  }

  /** The cloud of `run` and `status`: --cloud, which the environment must use, else the first of its clouds that runs pipelines. */
  private runCloud(environment: EnvironmentConfig): RunCloud {
    const option = this.values.cloud as string | undefined;
    const usable = RUN_CLOUDS.filter((cloud) => environment.clouds.includes(cloud));
    if (option === undefined) {
      if (usable.length === 0) throw new UsageError(`environment "${environment.name}" uses none of ${RUN_CLOUDS.join(', ')}`);
      return usable[0];
    }
    if (!(RUN_CLOUDS as readonly string[]).includes(option)) throw unknownChoiceError('cloud', option, RUN_CLOUDS);
    if (!usable.includes(option as RunCloud))
      throw new UsageError(
        `environment "${environment.name}" does not use ${option} (its clouds: ${environment.clouds.join(', ')}); --cloud: ${usable.join(', ')}`,
      );
    return option as RunCloud;
  }

  /**
   * Where the Spark step runs (--on): a runtime the environment has, on AWS only; undefined without
   * --on (the state machine then uses the environment's `aws.pipelines.sparkRuntime`).
   */
  private sparkRuntime(environment: EnvironmentConfig, cloud: RunCloud): SparkRuntime | undefined {
    const option = this.values.on as string | undefined;
    if (option === undefined) return undefined;
    if (cloud !== 'aws') throw new UsageError(`--on chooses where the AWS Spark step runs (emr or kubernetes); it does not apply to --cloud ${cloud}`);
    try {
      return sparkRuntimeFor(environment, option, '--on');
    } catch (error) {
      if (error instanceof SparkRuntimeError) throw new UsageError(error.message);
      throw error;
    }
  }

  /** A Microsoft Entra token for `scope`, from io.azureToken or DefaultAzureCredential; an OpsError saying how to sign in otherwise. */
  private azureToken(): (scope: string) => Promise<string> {
    let credential: { getToken(scope: string): Promise<{ token: string } | null> } | undefined;
    return async (scope) => {
      try {
        if (this.io.azureToken) return await this.io.azureToken(scope);
        if (!credential) {
          const { DefaultAzureCredential } = await import('@azure/identity');
          credential = new DefaultAzureCredential();
        }
        const token = await credential.getToken(scope);
        if (!token) throw new Error('no token');
        return token.token;
      } catch (error) {
        if (error instanceof OpsError) throw error;
        throw new OpsError(
          `no Microsoft Entra token for ${scope} (${(error as Error).message.split('\n')[0]}); sign in with "az login", or set ` +
            'AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET (for Databricks, DATABRICKS_TOKEN also works), then retry',
          undefined,
          { cause: error },
        );
      }
    };
  }

  /** The runner of `cloud`; `use` runs with it (and its clients), which are closed afterwards. */
  private async withRunner<T>(
    cloud: RunCloud,
    config: PlatformConfig,
    environment: EnvironmentConfig,
    plan: RunPlan,
    retry: RetryOptions,
    use: (runner: PipelineRunner) => Promise<T>,
  ): Promise<T> {
    const skipIngestion = this.values['skip-ingestion'] === true;
    const sparkRuntime = this.sparkRuntime(environment, cloud);
    const scope = { prefix: config.prefix, environment: environment.name };
    if (cloud === 'aws') {
      this.refuseEndpoint();
      const target = awsTarget(config, environment.name);
      const { AwsRunner } = await import('./aws-runner');
      return this.withClients(target.region, (clients) => use(new AwsRunner({ target, clients, plan, skipIngestion, sparkRuntime, retry, clock: this.clock })));
    }
    if (cloud === 'azure') {
      const azure = environment.azure as NonNullable<EnvironmentConfig['azure']>;
      const { AzureRunner } = await import('./azure-runner');
      const arm = await this.armClient(retry);
      return use(new AzureRunner({ scope, subscriptionId: azure.subscriptionId, location: azure.location, plan, skipIngestion, arm, clock: this.clock }));
    }
    const workspace = await this.databricksClient(retry);
    const { DatabricksRunner } = await import('./databricks-runner');
    return use(new DatabricksRunner({ scope, plan, workspace, clock: this.clock, random: retry.random }));
  }

  /** Azure Resource Manager: --endpoint, else PLATFORM_ARM_ENDPOINT, else the public cloud's; a Microsoft Entra token. */
  private async armClient(retry: RetryOptions): Promise<RestClient> {
    const { createRestClient } = await import('./rest');
    const token = this.azureToken();
    return createRestClient({
      base: (this.values.endpoint as string | undefined) ?? this.io.env.PLATFORM_ARM_ENDPOINT ?? DEFAULT_ARM_ENDPOINT,
      token: () => token(ARM_SCOPE),
      timeouts: this.httpTimeouts(),
      retry,
    });
  }

  /** The Databricks workspace: --endpoint, else DATABRICKS_HOST; DATABRICKS_TOKEN, else a Microsoft Entra token for Azure Databricks. */
  private async databricksClient(retry: RetryOptions): Promise<RestClient> {
    const host = (this.values.endpoint as string | undefined) ?? this.io.env.DATABRICKS_HOST;
    if (!host)
      throw new UsageError(
        '--cloud databricks needs the workspace URL: DATABRICKS_HOST (e.g. https://adb-1234567890123456.7.azuredatabricks.net) or --endpoint',
      );
    const { createRestClient } = await import('./rest');
    const token = this.azureToken();
    const personalToken = this.io.env.DATABRICKS_TOKEN;
    return createRestClient({
      base: /^https?:\/\//.test(host) ? host : `https://${host}`,
      token: personalToken ? async () => personalToken : () => token(AZURE_DATABRICKS_SCOPE),
      timeouts: this.httpTimeouts(),
      retry,
    });
  }

  private async run(): Promise<ExitCode> {
    const config = this.config();
    const environment = environmentNamed(config, this.envName(config));
    const cloud = this.runCloud(environment);
    const plan = runPlan(config, this.parsed.positionals[0]);
    const timeoutMs = this.values.timeout === undefined ? undefined : parseDuration(this.values.timeout as string, '--timeout');
    const pollIntervalMs = parseDuration((this.values['poll-interval'] as string | undefined) ?? DEFAULT_POLL_INTERVAL, '--poll-interval');
    const json = this.values.json === true;
    const deadline = timeoutMs === undefined ? undefined : this.clock.now() + timeoutMs;
    const { runPipeline } = await import('./run-pipeline');
    // The call in flight is abandoned (its request aborted) on Ctrl-C and just after the deadline, so
    // that an endpoint that never answers cannot hold the CLI past --timeout. The grace lets the last
    // poll, which the wait makes at the deadline, bring the latest states when the service answers.
    const calls = new AbortController();
    const stopCalls = () => calls.abort(new Error(this.io.signal?.aborted ? 'interrupted (Ctrl-C)' : '--timeout expired'));
    const timer = timeoutMs === undefined ? undefined : setTimeout(stopCalls, timeoutMs + DEADLINE_GRACE_MS);
    this.io.signal?.addEventListener('abort', stopCalls, { once: true });
    const retry = { ...this.retry(), signal: calls.signal };
    let report;
    let region = '';
    try {
      report = await this.withRunner(cloud, config, environment, plan, retry, (runner) => {
        region = runner.region;
        return runPipeline(
          runner,
          { environment: environment.name, pipeline: plan.pipeline.name },
          {
            clock: this.clock,
            retry,
            pollIntervalMs,
            deadline,
            signal: this.io.signal,
            progress: json ? undefined : new ProgressDisplay(this.io.stderr),
            log: (line) => {
              if (!json) this.print(line, this.io.stderr);
            },
          },
          { wait: this.values.wait === true, waitForRunning: this.values['wait-for-running'] === true },
        );
      });
    } finally {
      clearTimeout(timer);
      this.io.signal?.removeEventListener('abort', stopCalls);
    }
    const code = runExitCode(report);
    if (json) this.printJson(runReportJson(report, this.clock.now()));
    else this.print(formatRunReport(report, region, this.clock.now()), code === EXIT_CODES.ok ? this.io.stdout : this.io.stderr);
    return code;
  }

  private refuseEndpoint(): void {
    if (this.values.endpoint !== undefined) throw new UsageError('--endpoint is for azure and databricks; for AWS set AWS_ENDPOINT_URL');
  }

  private async status(): Promise<ExitCode> {
    const config = this.config();
    const environment = environmentNamed(config, this.envName(config));
    const cloud = this.runCloud(environment);
    const name = this.parsed.positionals[0];
    const pipelines = name === undefined ? pipelinesOf(config) : [pipelineNamed(config, name)];
    const queryTimeout = this.values['query-timeout'] as string | undefined;
    if (queryTimeout !== undefined && cloud !== 'aws')
      throw new UsageError(`--query-timeout bounds the Athena query of the AWS batch log; it does not apply to --cloud ${cloud}`);
    const queryTimeoutMs = queryTimeout === undefined ? undefined : parseDuration(queryTimeout, '--query-timeout');
    const { formatStatus, pipelineStatus, statusExitCode, statusJson } = await import('./status');
    const retry = this.retry();
    const scope = { prefix: config.prefix, environment: environment.name };
    let report: StatusReport;
    if (cloud === 'aws') {
      this.refuseEndpoint();
      const target = awsTarget(config, environment.name);
      report = await this.withClients(target.region, (clients) => pipelineStatus(target, clients, pipelines, { retry, clock: this.clock, queryTimeoutMs }));
    } else if (cloud === 'azure') {
      const azure = environment.azure as NonNullable<EnvironmentConfig['azure']>;
      const [{ azureStatus }, { DataFactoryApi }] = await Promise.all([import('./azure-status'), import('./data-factory')]);
      const api = new DataFactoryApi(await this.armClient(retry), scope, azure.subscriptionId, this.clock);
      report = await azureStatus(api, environment.name, pipelines);
    } else {
      const [{ databricksStatus }, { DatabricksWorkspaceApi }] = await Promise.all([import('./databricks-status'), import('./databricks-workspace')]);
      report = await databricksStatus(new DatabricksWorkspaceApi(await this.databricksClient(retry)), scope, pipelines);
    }
    if (this.values.json) this.printJson(statusJson(report, this.clock.now()));
    else this.print(formatStatus(report, this.clock.now()));
    return statusExitCode(report);
  }

  private diagram(): ExitCode {
    const config = this.config();
    const name = (this.values.env as string | undefined) ?? this.io.env.PLATFORM_ENV ?? awsEnvironments(config)[0]?.name;
    if (!name) throw new UsageError('no environment of the definition uses aws; the diagram shows the AWS platform');
    const diagram = platformDiagram(awsTarget(config, name));
    const output = this.values.output as string | undefined;
    if (output === undefined) {
      this.print(diagram);
      return EXIT_CODES.ok;
    }
    try {
      writeFileSync(output, diagram);
    } catch (error) {
      throw new OpsError(`cannot write ${output}: ${(error as Error).message}`);
    }
    this.print(`wrote the ${name} diagram to ${output}`, this.io.stderr);
    return EXIT_CODES.ok;
  }
}

/**
 * The `platform` CLI: parses `argv` (the arguments after the program name), runs the command and
 * returns the exit code (see EXIT_CODES). Errors the user can act on are printed as one message,
 * without a stack trace unless --debug is given.
 */
export async function platformCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const debug = argv.includes('--debug');
  let parsed: Parsed | 'main-help' | undefined;
  try {
    parsed = parse(argv);
    if (parsed === 'main-help') {
      io.stdout.write(`${HELP.main}\n`);
      return EXIT_CODES.ok;
    }
    if (parsed.values.help) {
      io.stdout.write(`${HELP[parsed.command]}\n`);
      return EXIT_CODES.ok;
    }
    return await new Cli(io, parsed).execute();
  } catch (caught) {
    const error = caught instanceof RunTargetError ? new UsageError(caught.message) : asOpsError(caught, undefined, io.env);
    const command = (COMMANDS as readonly string[]).includes(argv[0]) ? argv[0] : undefined;
    if (error instanceof OpsError) {
      const hint = error instanceof UsageError ? `\nRun "platform ${command ? `${command} ` : ''}--help" for usage.` : '';
      io.stderr.write(`platform: ${error.message}${hint}\n`);
      if (debug && error.cause instanceof Error) io.stderr.write(`${error.cause.stack}\n`);
      return error.exitCode;
    }
    if (isUserError(error)) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_CODES.failed;
    }
    const bug = error instanceof Error ? error : new Error(String(error));
    io.stderr.write(`platform: unexpected error: ${bug.message}${debug ? `\n${bug.stack}` : ' (run with --debug for the stack trace)'}\n`);
    return EXIT_CODES.failed;
  }
}
