/**
 * Inline checkov acknowledgements for Terraform JSON. checkov (3.3.x) reads `checkov:skip=` comments
 * in `.tf` files but not in `.tf.json` files: its terraform_json runner scans with an empty skip list
 * (bridgecrewio/checkov#4634), and its terraform runner does not load `.tf.json` files from a
 * directory. The constructs still write each acknowledgement next to its resource
 * (`constructs/azure/checkov-skip.ts`); this applies them to checkov's JSON report the way checkov
 * applies comments in `.tf` files: a `checkov:skip=<id>:<reason>` line inside the failing block's line
 * range acknowledges that finding, and only that one.
 */

/** A failed check from `checkov -o json` (`results.failed_checks[]`), the fields this reads. */
export interface CheckovFinding {
  readonly check_id: string;
  readonly check_name?: string;
  readonly resource: string;
  /** Path relative to the scanned directory, e.g. `/acme-dev-azure-storage/cdk.tf.json`. */
  readonly file_path: string;
  readonly file_abs_path: string;
  /** First and last line of the resource block, 1-based and inclusive. */
  readonly file_line_range: readonly [number, number];
}

export interface AcknowledgedFinding {
  readonly finding: CheckovFinding;
  readonly reason: string;
}

export interface InlineSkipResult {
  /** Findings acknowledged in code, with their reasons. */
  readonly acknowledged: readonly AcknowledgedFinding[];
  /** Findings nobody acknowledged: the gate fails on these. */
  readonly unacknowledged: readonly CheckovFinding[];
}

// The same pattern checkov uses for comments in .tf files (checkov/common/comment/enum.py).
const SKIP_COMMENT = /(?:checkov|bridgecrew):skip= *([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)(?::([^\n]*))?/;

/** The `checkov:skip` comments on the given lines (1-based, inclusive), by check id. */
export function skipCommentsIn(lines: readonly string[], [first, last]: readonly [number, number]): Map<string, string> {
  const skips = new Map<string, string>();
  for (let line = first; line <= last && line <= lines.length; line++) {
    const match = SKIP_COMMENT.exec(lines[line - 1]);
    if (!match) continue;
    // In JSON the comment is a string: drop the closing quote and comma the regex takes along.
    const reason = (match[2] ?? '').replace(/"\s*,?\s*$/, '').trim();
    for (const id of match[1].split(',')) skips.set(id, reason);
  }
  return skips;
}

/** Splits checkov's failed checks into acknowledged and unacknowledged ones. */
export function applyInlineSkips(findings: readonly CheckovFinding[], readFile: (absolutePath: string) => string): InlineSkipResult {
  const linesByFile = new Map<string, string[]>();
  const acknowledged: AcknowledgedFinding[] = [];
  const unacknowledged: CheckovFinding[] = [];
  for (const finding of findings) {
    let lines = linesByFile.get(finding.file_abs_path);
    if (!lines) {
      lines = readFile(finding.file_abs_path).split('\n');
      linesByFile.set(finding.file_abs_path, lines);
    }
    const reason = skipCommentsIn(lines, finding.file_line_range).get(finding.check_id);
    if (reason === undefined) unacknowledged.push(finding);
    else acknowledged.push({ finding, reason });
  }
  return { acknowledged, unacknowledged };
}
