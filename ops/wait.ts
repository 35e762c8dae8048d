import type { Clock } from './clock';
import { isFinished, type WorkStatus } from './work-status';

/**
 * How long after a deadline an AWS call still in flight is abandoned: the last poll, made at the
 * deadline, may still bring the latest state when the service answers.
 */
export const DEADLINE_GRACE_MS = 1_000;

export interface WaitOptions {
  readonly clock: Clock;
  /** Time between two polls. */
  readonly pollIntervalMs: number;
  /** Epoch milliseconds after which waiting stops with outcome "timeout". */
  readonly deadline?: number;
  /** Aborted on Ctrl-C: waiting stops with outcome "interrupted". */
  readonly signal?: AbortSignal;
  /** Called after every poll with every status, e.g. to redraw the progress display. */
  readonly onUpdate?: (statuses: readonly WorkStatus[]) => void;
}

export interface WaitResult {
  readonly outcome: 'finished' | 'timeout' | 'interrupted';
  /** Last known status of each piece of work, in the order given. */
  readonly statuses: readonly WorkStatus[];
}

/**
 * Polls each unfinished piece of work until all have finished, the deadline passes or the signal
 * aborts. `poll` retries transient errors itself (withRetry); an error it throws ends the wait.
 */
export async function waitForAll(initial: readonly WorkStatus[], poll: (status: WorkStatus) => Promise<WorkStatus>, options: WaitOptions): Promise<WaitResult> {
  let statuses = [...initial];
  const { clock, signal, deadline } = options;
  for (;;) {
    if (signal?.aborted) return { outcome: 'interrupted', statuses };
    statuses = await Promise.all(statuses.map((status) => (isFinished(status) ? status : poll(status))));
    options.onUpdate?.(statuses);
    if (statuses.every(isFinished)) return { outcome: 'finished', statuses };
    if (signal?.aborted) return { outcome: 'interrupted', statuses };
    const now = clock.now();
    if (deadline !== undefined && now >= deadline) return { outcome: 'timeout', statuses };
    await clock.sleep(deadline === undefined ? options.pollIntervalMs : Math.min(options.pollIntervalMs, deadline - now), signal);
  }
}
