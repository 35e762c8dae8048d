import { formatDuration } from './duration';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import type { RunReport } from './run-pipeline';
import {
  checkStartCommand,
  describeWork,
  elapsedMs,
  isFinished,
  isSucceeded,
  stopCommand,
  type UncertainStart,
  type WorkStatus,
  workJson,
} from './work-status';

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
  return [...report.ingestion, ...(report.sparkStep ? [report.sparkStep] : [])];
}

/** A start that had not answered: it may have happened, and how to check. */
function uncertainLine(start: UncertainStart, region: string): string {
  return start.kind === 'glue-job-run'
    ? `no answer from AWS to Glue StartJobRun of ${start.name}: a run may have started; check with: ${checkStartCommand(start, region)}`
    : `no answer from AWS to EMR AddJobFlowSteps of ${start.name}: the step may have been added; check with: ${checkStartCommand(start, region)}`;
}

function workLine(work: WorkStatus, now: number): string {
  const elapsed = elapsedMs(work, now);
  return `  ${describeWork(work)}: ${work.state}${elapsed === undefined ? '' : ` after ${formatDuration(elapsed)}`}`;
}

/**
 * What a person needs after `platform run`: what ran and how it ended; for a failure the service's
 * error message; for a timeout or Ctrl-C what keeps running in AWS and the commands that stop it.
 */
export function formatRunReport(report: RunReport, region: string, now: number): string {
  const lines: string[] = [];
  const head = `pipeline ${report.pipeline} in ${report.environment}`;
  const running = allWork(report).filter((work) => !isFinished(work));
  switch (report.outcome) {
    case 'succeeded':
      lines.push(`${head}: succeeded`);
      break;
    case 'submitted':
      lines.push(`${head}: ingestion succeeded; Spark step submitted (not waiting: add --wait to follow it)`);
      break;
    case 'failed':
      lines.push(`${head}: FAILED`);
      break;
    case 'timeout':
    case 'interrupted': {
      const stopped = report.outcome === 'timeout' ? 'timed out (--timeout)' : 'interrupted';
      lines.push(
        allWork(report).length === 0 && !report.uncertain
          ? `${head}: ${stopped} before anything was started`
          : `${head}: ${stopped}; stopped waiting, nothing was stopped in AWS`,
      );
      break;
    }
  }
  lines.push(...allWork(report).map((work) => workLine(work, now)));
  if (report.uncertain) lines.push(uncertainLine(report.uncertain, region));
  else if (report.unanswered) {
    const nothing = allWork(report).length === 0 ? '; nothing was started in AWS' : '';
    lines.push(
      `no answer from AWS to ${report.unanswered.service} ${report.unanswered.operation} (check AWS_ENDPOINT_URL, the network and any proxy)${nothing}`,
    );
  }
  for (const work of allWork(report).filter((w) => isFinished(w) && !isSucceeded(w))) {
    lines.push(`error from ${describeWork(work)}: ${work.error ?? `${work.state} (the service gave no message)`}`);
  }
  if (report.outcome === 'failed' && !report.sparkStep)
    lines.push('the Spark step was not submitted: silver and gold are built only from a successful ingestion');
  if (running.length > 0 && (report.outcome === 'timeout' || report.outcome === 'interrupted')) {
    lines.push('still running in AWS:');
    lines.push(...running.map((work) => `  ${describeWork(work)} (${work.state})`));
    if (report.stoppedWhile === 'ingestion' && running.some((work) => work.kind === 'glue-job-run'))
      lines.push(
        `the Spark step was not submitted; once ingestion has succeeded, submit it with: platform run ` +
          `${report.pipeline} --env ${report.environment} --skip-ingestion`,
      );
    lines.push('to stop it:', ...running.map((work) => `  ${stopCommand(work, region)}`));
    lines.push(`to follow it: platform status ${report.pipeline} --env ${report.environment}`);
  }
  if (report.outcome === 'submitted' && report.sparkStep) lines.push(`to follow it: platform status ${report.pipeline} --env ${report.environment}`);
  return lines.join('\n');
}

export function runReportJson(report: RunReport, now: number): unknown {
  return {
    ...report,
    exitCode: runExitCode(report),
    ingestion: report.ingestion.map((work) => workJson(work, now)),
    sparkStep: report.sparkStep && workJson(report.sparkStep, now),
  };
}
