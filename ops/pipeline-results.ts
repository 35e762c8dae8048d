/**
 * What a pipeline run produced besides its runs' states, as `platform run` and `platform status`
 * report it on every cloud: the data-quality result per dataset, where the run failed, and the
 * per-batch reconciliation of bronze against what silver accepted and quarantined.
 */

/** The data-quality result of one dataset's batch, as the pipeline recorded it. */
export interface DataQualityResult {
  readonly dataset: string;
  readonly result: 'passed' | 'failed';
  /** The share of rules that passed (Glue Data Quality's Score, 0 to 1), when recorded. */
  readonly score?: number;
  /** `<rule> <result>: <message>` of each rule that did not pass. */
  readonly failedRules: readonly string[];
}

/** Where a pipeline run failed: the state, activity or task, and the service's error and cause. */
export interface PipelineFailure {
  /** The state machine state (e.g. "Quality rules failed"), Data Factory activity or Databricks task that failed. */
  readonly state: string;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * The per-batch reconciliation: every bronze row of a batch is either accepted into silver or
 * quarantined, so bronze = accepted + quarantined. Reported only where the data path records the
 * three counts; elsewhere `recorded: false` says so, with the reason, and no number is made up.
 */
export type Reconciliation =
  | {
      readonly recorded: true;
      readonly dataset: string;
      readonly bronze: number;
      readonly accepted: number;
      readonly quarantined: number;
      /** bronze === accepted + quarantined. */
      readonly balanced: boolean;
    }
  | { readonly recorded: false; readonly reason: string };

/** The reconciliation of the data paths that do not record their counts yet. */
export const RECONCILIATION_NOT_RECORDED: Reconciliation = {
  recorded: false,
  reason: 'not recorded: the Spark and Databricks paths do not record per-batch bronze, accepted and quarantined counts yet',
};

/** `passed`, `failed (orders: IsComplete "id" FAIL)`, or `not recorded`, for tables and summaries. */
export function dataQualityText(results: readonly DataQualityResult[] | undefined): string {
  if (!results || results.length === 0) return 'not recorded';
  const failed = results.filter((result) => result.result === 'failed');
  if (failed.length === 0) return `passed (${results.map((result) => result.dataset).join(', ')})`;
  return `failed (${failed.map((result) => `${result.dataset}: ${result.failedRules.join('; ')}`).join(' | ')})`;
}

/** `bronze 100 = accepted 98 + quarantined 2`, or the reason it is not recorded. */
export function reconciliationText(reconciliation: Reconciliation): string {
  if (!reconciliation.recorded) return 'not recorded';
  const { bronze, accepted, quarantined, balanced } = reconciliation;
  return `bronze ${bronze} ${balanced ? '=' : '!='} accepted ${accepted} + quarantined ${quarantined}${balanced ? '' : ' (does not balance)'}`;
}
