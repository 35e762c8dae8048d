import { UsageError } from './errors';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `90s`, `30m`, `1h30m` or `2h`; a bare number means seconds.
 * Throws a UsageError that says what is allowed.
 */
export function parseDuration(text: string, option = '--timeout'): number {
  const trimmed = text.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const parts = [...trimmed.matchAll(/([0-9]+)(ms|s|m|h|d)/g)];
  const consumed = parts.map((part) => part[0]).join('');
  const total = parts.reduce((sum, part) => sum + Number(part[1]) * UNIT_MS[part[2]], 0);
  if (parts.length === 0 || consumed !== trimmed || total <= 0) {
    throw new UsageError(`${option} "${text}" is not a duration; use a positive number with a unit, e.g. 90s, 30m, 1h30m (a bare number means seconds)`);
  }
  return total;
}

/** An elapsed time for people: `4s`, `2m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1_000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
