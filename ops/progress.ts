import { formatDuration } from './duration';
import { elapsedMs, isFinished, kindLabel, type WorkStatus } from './work-status';

/** Where the progress display writes: a stream that may be a terminal. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Width of the terminal. */
  readonly columns?: number;
}

const ERASE_LINE = '\x1b[2K';
const cursorUp = (lines: number) => `\x1b[${lines}A`;

function label(status: WorkStatus): string {
  return kindLabel(status);
}

/** One line per piece of work: kind, name (padded to `nameWidth`), state, elapsed time, id. */
export function progressLine(status: WorkStatus, now: number, nameWidth = 0): string {
  const elapsed = elapsedMs(status, now);
  return [
    label(status).padEnd(4),
    status.name.padEnd(nameWidth),
    status.state.padEnd(10),
    (elapsed === undefined ? '' : formatDuration(elapsed)).padEnd(6),
    status.id ?? '-',
  ]
    .join('  ')
    .trimEnd();
}

/**
 * Live progress of work being waited on. On a terminal it keeps one line per piece of work and redraws
 * them in place (ANSI cursor-up and erase-line); elsewhere (CI logs, pipes) it prints a timestamped
 * line only when a state changes, so logs stay readable.
 */
export class ProgressDisplay {
  private drawnLines = 0;
  private readonly lastStates = new Map<string, string>();

  constructor(private readonly output: ProgressOutput) {}

  update(statuses: readonly WorkStatus[], now: number): void {
    const nameWidth = Math.max(...statuses.map((status) => status.name.length));
    if (this.output.isTTY) {
      // A wrapped line would break the cursor-up redraw, so lines are cut at the terminal's width.
      const width = (this.output.columns ?? 120) - 1;
      const lines = statuses.map((status) => `${isFinished(status) ? '✔' : '…'} ${progressLine(status, now, nameWidth)}`.slice(0, width));
      const rewind = this.drawnLines > 0 ? cursorUp(this.drawnLines) : '';
      this.output.write(`${rewind}${lines.map((line) => `\r${ERASE_LINE}${line}\n`).join('')}`);
      this.drawnLines = lines.length;
      return;
    }
    for (const status of statuses) {
      const key = `${status.kind}:${status.name}:${status.id}`;
      if (this.lastStates.get(key) === status.state) continue;
      this.lastStates.set(key, status.state);
      this.output.write(`${new Date(now).toISOString().slice(11, 19)}  ${progressLine(status, now, nameWidth)}\n`);
    }
  }

  /** Forgets the drawn lines, so that the next update starts below what is on screen. */
  detach(): void {
    this.drawnLines = 0;
  }
}
