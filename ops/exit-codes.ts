/**
 * Exit codes of the `platform` CLI. Scripts and schedulers branch on them, so they are a contract:
 * 124 and 130 follow timeout(1) and the shell's 128 + SIGINT.
 */
export const EXIT_CODES = {
  /** Everything asked for succeeded (or, without --wait, was started). */
  ok: 0,
  /**
   * A pipeline run (Step Functions execution, Glue job run, EMR step, Data Factory or Databricks run)
   * failed, the definition is invalid, or the service refused or could not be reached.
   */
  failed: 1,
  /** The command line is wrong: unknown command, option, pipeline, dataset or environment. */
  usage: 2,
  /**
   * AWS did not answer in time: a connection or request timeout on every attempt (AWS_MAX_ATTEMPTS).
   * What the CLI had started may still be running in AWS; the message names it and how to stop it.
   */
  noAnswer: 3,
  /**
   * The pipeline is already running (a scheduled or another CLI run): nothing was started. The message
   * names the run in progress; `--wait-for-running` waits for it instead.
   */
  busy: 4,
  /**
   * --timeout expired, while waiting or during an AWS call that had not answered; the runs keep going in AWS.
   * `status`: --query-timeout expired before the batch-log query ended (the rest is still shown).
   */
  timeout: 124,
  /** Interrupted (Ctrl-C) while waiting; the runs keep going in AWS. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
