import { EXIT_CODES } from './exit-codes';
import { formatDuration } from './duration';
import { DEFAULT_HTTP_TIMEOUTS, DEFAULT_QUERY_TIMEOUT_MS, HTTP_TIMEOUT_ENV } from './http-timeouts';

const COMMON = `  --config <path>        platform definition (default: $PLATFORM_CONFIG, else platform.yaml)
  --debug                show stack traces and retried AWS errors
  -h, --help             show this help`;

const ENV = `  --env <env>            environment of the definition (default: $PLATFORM_ENV)`;

const CONNECT_SECONDS = DEFAULT_HTTP_TIMEOUTS.connectionTimeoutMs / 1000;
const REQUEST_SECONDS = DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs / 1000;
const CONNECT_DEFAULT = `$${HTTP_TIMEOUT_ENV.connect}, else ${CONNECT_SECONDS}s`;
const REQUEST_DEFAULT = `$${HTTP_TIMEOUT_ENV.request}, else ${REQUEST_SECONDS}s`;
const TIMEOUTS = `  --connect-timeout <d>  longest wait for a connection to AWS, per attempt (default: ${CONNECT_DEFAULT})
  --request-timeout <d>  longest wait for AWS to answer, per attempt (default: ${REQUEST_DEFAULT})`;

export const EXIT_CODE_HELP = `Exit codes:
  ${EXIT_CODES.ok}    success (run without --wait: the run started and reached its last stage, e.g. the Spark step)
  ${EXIT_CODES.failed}    a run failed (execution, Glue run, EMR step, Data Factory or Databricks run), the definition is
       invalid, or the service refused or could not be reached
  ${EXIT_CODES.usage}    bad command line: unknown command, option, pipeline, dataset or environment
  ${EXIT_CODES.noAnswer}    AWS did not answer in time (connection or request timeout on every attempt); what was started
       may still be running in AWS (the message says which, and how to stop it)
  ${EXIT_CODES.busy}    the pipeline is already running (the run in progress is named); nothing was started
  ${EXIT_CODES.timeout}  --timeout expired, also during an AWS call that had not answered; the runs keep going in AWS
       (the message says which, how to stop them, and any start that may have happened); for status,
       --query-timeout expired before the batch log was read
  ${EXIT_CODES.interrupted}  interrupted by Ctrl-C; the runs keep going in AWS (the message says which)`;

export const PIPELINE_HELP = `Pipelines: one per business domain of the definition, named after the domain. On AWS a pipeline is
its Step Functions state machine: the Glue ingestion jobs of the domain's batch datasets (source ->
bronze), Glue Data Quality on each bronze table, then one Spark step on the environment's EMR cluster
that rebuilds the domain's silver and gold tables. Stream datasets (schedule: continuous) are ingested
continuously and are not runnable on their own.`;

export const HELP: Record<string, string> = {
  main: `Usage: platform <command> [options]

Operate the data platform that the platform definition describes.

Commands:
  validate                    validate the definition and summarise it
  list                        stacks, pipelines, Glue jobs and EMR clusters of an environment
  run <pipeline|dataset>      start a pipeline as its scheduler does (or for one dataset) and follow it
  status [<pipeline>]         last run per pipeline with its data quality and reconciliation; latest runs and steps
  diagram                     Mermaid flowchart of an environment's platform

Run "platform <command> --help" for a command's options.

Options:
${COMMON}

${PIPELINE_HELP}

AWS: the default credential chain (environment, AWS_PROFILE, SSO, instance role), the region of the
environment in the definition, and AWS_ENDPOINT_URL (e.g. a local emulator) are honoured. Throttling
and transient errors are retried with exponential backoff and jitter, up to AWS_MAX_ATTEMPTS attempts
(default 6); calls that start work are retried only when AWS certainly did not start it. Each attempt
has a connection timeout (default ${CONNECT_SECONDS}s) and a request timeout (default ${REQUEST_SECONDS}s), so an endpoint that
never answers cannot hold the CLI: see --connect-timeout and --request-timeout of run and status.

Azure and Databricks (run and status --cloud azure|databricks): a Microsoft Entra token from the default Azure
credential (az login, environment, workload or managed identity); for Databricks DATABRICKS_HOST and,
optionally, DATABRICKS_TOKEN. The same retries (HTTP 429 and 5xx) and timeouts apply.

Environment: PLATFORM_CONFIG (definition file), PLATFORM_ENV (default --env), AWS_PROFILE,
AWS_ENDPOINT_URL, AWS_MAX_ATTEMPTS, ${HTTP_TIMEOUT_ENV.connect}, ${HTTP_TIMEOUT_ENV.request},
PLATFORM_ARM_ENDPOINT, DATABRICKS_HOST, DATABRICKS_TOKEN.

${EXIT_CODE_HELP}`,

  validate: `Usage: platform validate [--config <path>] [--json]

Validates the platform definition and prints a summary: environments, clouds, datasets, pipelines.

Options:
  --json                 print the summary as JSON
${COMMON}

${EXIT_CODE_HELP}`,

  list: `Usage: platform list --env <env> [--json]

Lists what the definition produces for an environment: stacks, pipelines (with their Step Functions
state machine, Spark step and datasets), Glue jobs, EMR and MSK clusters. Reads no AWS account.

Options:
${ENV}
  --json                 print the inventory as JSON
${COMMON}

${PIPELINE_HELP}`,

  run: `Usage: platform run <pipeline|dataset> --env <env> [--cloud <cloud>] [--on <runtime>] [--wait] [--wait-for-running] [--timeout <duration>] [--json]

Starts a pipeline the way its scheduler does, then follows it:
  1. refuses, naming the run in progress (ARN or id and start time), when the pipeline is already
     running (exit ${EXIT_CODES.busy}); with --wait-for-running, waits for that run to end instead;
  2. AWS: starts the pipeline's Step Functions state machine with the input its schedules send
     ({"datasets":["<dataset>"]} for a dataset, {} for the whole pipeline), so data quality, the
     re-creation of a cluster that terminated itself and the wait for an earlier Spark step apply;
     with --on, the input also says where the Spark step runs ({"sparkRuntime":"kubernetes"});
     Azure: the Data Factory pipelines ingest_<dataset>; Databricks: the dbt job and, for a pipeline
     with stream datasets, an update of its DLT pipeline;
  3. follows it: the execution, the Glue job runs and the EMR step or EMR on EKS job run it started
     (from its history); without --wait until its last stage has started (the Spark step submitted),
     with --wait to its end.
Progress (states, elapsed time) is redrawn in place on a terminal and printed as lines otherwise.
A failed run exits 1 naming the state (or activity, task) that failed with the error and cause, e.g.
a data-quality rule, and the data-quality result of each dataset. On AWS the Spark step records the
per-batch reconciliation (bronze = accepted + quarantined) in its batch log, and on Azure each copy
activity in its output, which platform status shows; Databricks does not record it ("not recorded").
On --timeout or Ctrl-C the CLI stops waiting, not the work: it abandons any call still in flight (a
second after the deadline, so an endpoint that never answers cannot hold it longer), prints what is
still running and the commands that stop it, and names a start that had not answered (it may have
happened).

Options:
${ENV}
  --cloud <cloud>        aws, azure or databricks (default: the environment's first cloud)
  --wait                 follow the run to its end
  --wait-for-running     when the pipeline is already running, wait for that run to end, then start
  --timeout <duration>   stop waiting after this long, e.g. 90s, 30m, 1h30m; exit ${EXIT_CODES.timeout}
  --poll-interval <dur>  time between two status checks (default: 15s)
  --skip-ingestion       AWS: start the state machine with no dataset: the Spark step only
  --on <runtime>         AWS: where the Spark step runs: emr (the environment's EMR cluster) or kubernetes
                         (its EMR on EKS virtual cluster, where aws.kubernetes.enabled); default: the
                         environment's aws.pipelines.sparkRuntime (emr unless set)
  --endpoint <url>       Azure Resource Manager (default: $PLATFORM_ARM_ENDPOINT, else https://management.azure.com)
                         or the Databricks workspace (default: $DATABRICKS_HOST); for AWS use AWS_ENDPOINT_URL
  --json                 print the result as JSON on stdout (no live progress)
${TIMEOUTS}
${COMMON}

${PIPELINE_HELP}

${EXIT_CODE_HELP}`,

  status: `Usage: platform status [<pipeline>] --env <env> [--cloud <cloud>] [--query-timeout <duration>] [--json]

Shows, for every pipeline (or the one named), its last run with its data-quality result and where it
failed, its reconciliation (bronze = accepted + quarantined per dataset, where the data path records
it), then the latest runs and steps: ids, states, start times, durations and the service's error
messages, as aligned tables. NO_RUNS means it never ran, NOT_FOUND that it is not deployed.
  AWS: the last Step Functions execution (whoever started it); the latest batch of each dataset in the
    Spark batch log <silver db>._batches (batch id, accepted or rejected, bronze = accepted + quarantined
    and whether it balances, quarantined rows by reason), read with one Athena query in the environment's
    workgroup ("not recorded yet": no Spark run has written it); the latest run of each Glue ingestion
    job and the latest Spark step on the environment's active EMR cluster.
  Azure: the latest run of each Data Factory pipeline ingest_<dataset> of the pipeline (the newest is
    its last run; a failed run names the activity that failed); the copy's fault tolerance as data
    quality; the copy activity's rowsRead = rowsCopied + rowsSkipped (skipped rows are quarantined) as
    each dataset's batch. Needs, on the factory, Microsoft.DataFactory/factories/querypipelineruns/action
    and .../pipelineruns/queryactivityruns/action (a custom reader role; Data Factory Contributor has them).
  Databricks: the dbt job's latest run and its tasks (bronze_tables, dbt_build); the dbt_build task's
    tests as data quality; the latest update of the DLT pipeline of a pipeline with stream datasets.
    Per-batch counts are not recorded on this path ("not recorded", with the reason). Needs CAN_VIEW on
    the job and the DLT pipelines.
Exits 0 whatever the states are (use --json to check them from a script; its keys are the same on
every cloud), unless the AWS batch log could not be read: then the rest is still shown, the
reconciliation names the error, and the exit code is ${EXIT_CODES.failed} (refused or failed), ${EXIT_CODES.noAnswer} (no answer) or
${EXIT_CODES.timeout} (--query-timeout expired). A service that refuses or cannot be reached exits ${EXIT_CODES.failed} (${EXIT_CODES.noAnswer}: no answer).

Options:
${ENV}
  --cloud <cloud>        aws, azure or databricks (default: the environment's first cloud)
  --endpoint <url>       Azure Resource Manager (default: $PLATFORM_ARM_ENDPOINT, else https://management.azure.com)
                         or the Databricks workspace (default: $DATABRICKS_HOST); for AWS use AWS_ENDPOINT_URL
  --query-timeout <d>    AWS: longest wait for the Athena query that reads the batch log (default: ${formatDuration(DEFAULT_QUERY_TIMEOUT_MS)}); it
                         keeps running in Athena after that
  --json                 print the status as JSON
${TIMEOUTS}
${COMMON}

${EXIT_CODE_HELP}`,

  diagram: `Usage: platform diagram [--env <env>] [--output <file>]

Prints a Mermaid flowchart of an environment's platform on AWS: sources by kind -> Glue ingestion
jobs / MSK -> bronze, silver and gold buckets, with the EMR Spark cluster between them -> the Glue
Data Catalog / Athena and the groups that read each layer. Reads no AWS account.

Options:
  --env <env>            environment (default: $PLATFORM_ENV, else the first environment that uses aws)
  --output <file>        write the diagram to this file (e.g. platform.mmd) instead of stdout
${COMMON}`,
};

export const COMMANDS = ['validate', 'list', 'run', 'status', 'diagram'] as const;
export type Command = (typeof COMMANDS)[number];
