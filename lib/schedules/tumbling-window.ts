import { cronProblem } from './cron';

/** A Data Factory tumbling window: fixed-size, back-to-back windows from a start time. */
export interface TumblingWindow {
  readonly frequency: 'Minute' | 'Hour';
  readonly interval: number;
  /** The first window's start (UTC): a fixed past instant, so that the plan stays free of diffs. */
  readonly startTime: string;
}

const ORIGIN = '2026-01-01';

/**
 * Why a valid five-field cron expression (UTC) cannot be a tumbling window, or undefined when it can:
 * windows are all the same size, so only `*\/n * * * *` (n dividing 60), `m * * * *` (hourly) and
 * `m h * * *` (daily) can be.
 */
export function tumblingWindowProblem(cron: string): string | undefined {
  const problem = cronProblem(cron);
  if (problem) return problem;
  if (tumbling(cron)) return undefined;
  return 'change capture from SQL Server reads back-to-back windows of one size; use "*/n * * * *" (n dividing 60), "m * * * *" or "m h * * *"';
}

/** The tumbling window of a cron expression; throws an Error naming `dataset` when `tumblingWindowProblem` finds one. */
export function tumblingWindowOf(cron: string, dataset: string): TumblingWindow {
  const problem = tumblingWindowProblem(cron);
  const window = tumbling(cron);
  if (problem || !window) throw new Error(`dataset "${dataset}": schedule "${cron}" cannot be a tumbling window: ${problem}`);
  return window;
}

function tumbling(cron: string): TumblingWindow | undefined {
  const [minute, hour, dayOfMonth, month, dayOfWeek] = cron.trim().split(/\s+/);
  if (dayOfMonth !== '*' || month !== '*' || dayOfWeek !== '*') return undefined;
  const pad = (value: string) => value.padStart(2, '0');
  const step = /^\*(?:\/([0-9]+))?$/.exec(minute);
  if (step && hour === '*') {
    const interval = Number(step[1] ?? 1);
    return 60 % interval === 0 ? { frequency: 'Minute', interval, startTime: `${ORIGIN}T00:00:00Z` } : undefined;
  }
  if (!/^[0-9]+$/.test(minute)) return undefined;
  if (hour === '*') return { frequency: 'Hour', interval: 1, startTime: `${ORIGIN}T00:${pad(minute)}:00Z` };
  if (/^[0-9]+$/.test(hour)) return { frequency: 'Hour', interval: 24, startTime: `${ORIGIN}T${pad(hour)}:${pad(minute)}:00Z` };
  return undefined;
}
