import { formatDuration } from './duration';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { dataQualityText, reconciliationText } from './pipeline-results';
import { describeRunning, type RunCloud, type RunReport } from './run-pipeline';
import { describeWork, elapsedMs, isFinished, isSucceeded, stopCommand, type WorkStatus, workJson } from './work-status';

/** What sets the endpoint of each cloud's calls, for the hint when one does not answer. */
export const ENDPOINT_SETTING: Record<RunCloud, string> = {
  aws: 'AWS_ENDPOINT_URL',
  azure: '--endpoint or PLATFORM_ARM_ENDPOINT',
  databricks: '--endpoint or DATABRICKS_HOST',
};

export function runExitCode(report: RunReport): ExitCode {
  switch (report.outcome) {
    case 'succeeded':
    case 'submitted':
      return EXIT_CODES.ok;
    case 'failed':
      return EXIT_CODES.failed;
    case 'timeout':
      return EXIT_CODES.timeout;
    case 'interrupted':
      return EXIT_CODES.interrupted;
  }
}

function allWork(report: RunReport): WorkStatus[] {
  return [...(report.execution ? [report.execution] : []), ...report.ingestion, ...report.transform];
}

function workLine(work: WorkStatus, now: number): string {
  const elapsed = elapsedMs(work, now);
  return `  ${describeWork(work)}: ${work.state}${elapsed === undefined ? '' : ` after ${formatDuration(elapsed)}`}${work.url ? ` (${work.url})` : ''}`;
}

/**
 * What a person needs after `platform run`: what ran and how it ended; for a failure the state that
 * failed with the service's error and cause; the data-quality result and the reconciliation; for a
 * timeout or Ctrl-C what keeps running and the commands that stop it.
 */
export function formatRunReport(report: RunReport, region: string, now: number): string {
  const lines: string[] = [];
  const head = `pipeline ${report.pipeline} in ${report.environment} (${report.cloud})`;
  const follow = `to follow it: platform status ${report.pipeline} --env ${report.environment} --cloud ${report.cloud}`;
  const work = allWork(report);
  switch (report.outcome) {
    case 'succeeded':
      lines.push(`${head}: succeeded`);
      break;
    case 'submitted':
      lines.push(`${head}: started; its last stage is under way (not waiting: add --wait to follow it to its end)`);
      break;
    case 'failed':
      lines.push(`${head}: FAILED`);
      break;
    case 'timeout':
    case 'interrupted': {
      const stopped = report.outcome === 'timeout' ? 'timed out (--timeout)' : 'interrupted';
      if (report.stoppedWhile === 'waiting-for-running' && report.waitedFor)
        lines.push(`${head}: ${stopped} while waiting for the run in progress; nothing was started`);
      else
        lines.push(
          work.length === 0 && !report.uncertain
            ? `${head}: ${stopped} before anything was started`
            : `${head}: ${stopped}; stopped waiting, nothing was stopped`,
        );
      break;
    }
  }
  if (report.waitedFor) lines.push(`  waited for the run in progress: ${describeRunning(report.waitedFor)}`);
  lines.push(...work.map((w) => workLine(w, now)));
  if (report.uncertain)
    lines.push(`no answer to ${report.uncertain.call} of ${report.uncertain.name}: it may have started; check with: ${report.uncertain.check}`);
  else if (report.unanswered) {
    const nothing = work.length === 0 ? '; nothing was started' : '';
    lines.push(
      `no answer to ${report.unanswered.service} ${report.unanswered.operation} (check ${ENDPOINT_SETTING[report.cloud]}, the network and any proxy)${nothing}`,
    );
  }
  if (report.failure) {
    const { state, error, cause } = report.failure;
    lines.push(`failed in ${state}: ${[error, cause].filter(Boolean).join(': ') || '(the service gave no message)'}`);
  }
  for (const failed of [...report.ingestion, ...report.transform].filter((w) => isFinished(w) && !isSucceeded(w))) {
    lines.push(`error from ${describeWork(failed)}: ${failed.error ?? `${failed.state} (the service gave no message)`}`);
  }
  if (report.outcome === 'succeeded' || report.outcome === 'failed' || report.dataQuality?.length) {
    lines.push(`data quality: ${dataQualityText(report.dataQuality)}`);
    if (report.reconciliation) lines.push(`reconciliation (bronze = accepted + quarantined): ${reconciliationText(report.reconciliation)}`);
  }
  const running = work.filter((w) => !isFinished(w));
  if (running.length > 0 && (report.outcome === 'timeout' || report.outcome === 'interrupted')) {
    // Stopping the execution stops what it started.
    const stoppable = report.execution && !isFinished(report.execution) ? [report.execution] : running;
    lines.push(`still running in ${report.cloud === 'aws' ? 'AWS' : report.cloud === 'azure' ? 'Azure' : 'Databricks'}:`);
    lines.push(...running.map((w) => `  ${describeWork(w)} (${w.state})`));
    lines.push('to stop it:', ...stoppable.map((w) => `  ${stopCommand(w, region)}`));
    lines.push(follow);
  }
  if (report.outcome === 'submitted') lines.push(follow);
  return lines.join('\n');
}

export function runReportJson(report: RunReport, now: number): unknown {
  return {
    ...report,
    exitCode: runExitCode(report),
    execution: report.execution && workJson(report.execution, now),
    ingestion: report.ingestion.map((work) => workJson(work, now)),
    transform: report.transform.map((work) => workJson(work, now)),
    waitedFor: report.waitedFor && { ...report.waitedFor, startedAt: report.waitedFor.startedAt?.toISOString() },
  };
}
