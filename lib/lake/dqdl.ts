import type { DatasetConfig, QualityRule } from '../definition';

/** The change-sequence column of a CDC dataset's bronze records (see `bronzeMetadataColumns`). */
const CDC_SEQUENCE_COLUMN = '_change_seq';

/**
 * Glue Data Quality Definition Language (DQDL) from a dataset's quality rules. The ruleset of a
 * dataset checks its bronze table (the records as they landed, before any cleaning), so a failed
 * rule stops the pipeline before silver is rebuilt.
 *
 * | definition rule            | DQDL                                                          |
 * |----------------------------|---------------------------------------------------------------|
 * | not_null column            | IsComplete "column"                                           |
 * | unique [column]            | IsUnique "column"                                             |
 * | unique [a, b, ...]         | IsPrimaryKey "a" "b" ... (complete and unique together)       |
 * | accepted_values column     | ColumnValues "column" in ["v1", "v2", ...]                    |
 * | range column min / max     | ColumnValues "column" >= min, <= max, or both joined by `and` |
 * | row_count min / max        | RowCount >= min, <= max, or both joined by `and`              |
 *
 * Bronze of a CDC dataset holds one record per change, so a key repeats once per change: there
 * `unique` holds per change, `IsPrimaryKey <columns> "_change_seq"`.
 *
 * Bounds are inclusive (DQDL's `between` is exclusive, so it is not used). Every column declared
 * `nullable: false` (keys always are) also gets `IsComplete` unless a not_null rule already says so,
 * so every dataset has a ruleset even when it lists no quality rules.
 */
export function dqdlFor(dataset: Pick<DatasetConfig, 'columns' | 'quality' | 'cdc'>): string {
  const rules = dataset.quality.map((rule) => ruleFor(rule, { cdc: dataset.cdc }));
  const declaredComplete = new Set(dataset.quality.flatMap((rule) => (rule.rule === 'not_null' ? [rule.column] : [])));
  for (const column of dataset.columns) {
    if (!column.nullable && !declaredComplete.has(column.name)) rules.push(`IsComplete ${quoted(column.name)}`);
  }
  if (rules.length === 0) throw new Error('dqdlFor: the dataset has no quality rules and no non-nullable column; a DQDL ruleset needs at least one rule');
  return `Rules = [\n${rules.map((rule) => `  ${rule}`).join(',\n')}\n]`;
}

/** One definition rule as one DQDL rule, on the bronze table of a snapshot (default) or CDC dataset. */
export function ruleFor(rule: QualityRule, options: { readonly cdc?: boolean } = {}): string {
  switch (rule.rule) {
    case 'not_null':
      return `IsComplete ${quoted(rule.column)}`;
    case 'unique': {
      const columns = options.cdc ? [...rule.columns, CDC_SEQUENCE_COLUMN] : rule.columns;
      return columns.length === 1 ? `IsUnique ${quoted(columns[0])}` : `IsPrimaryKey ${columns.map(quoted).join(' ')}`;
    }
    case 'accepted_values':
      return `ColumnValues ${quoted(rule.column)} in [${rule.values.map(quoted).join(', ')}]`;
    case 'range':
      return bounded(`ColumnValues ${quoted(rule.column)}`, rule.min, rule.max);
    case 'row_count':
      return bounded('RowCount', rule.min, rule.max);
  }
}

/** `subject >= min`, `subject <= max`, or both joined with `and`. */
function bounded(subject: string, min: number | undefined, max: number | undefined): string {
  const checks = [min !== undefined ? `${subject} >= ${number(min)}` : undefined, max !== undefined ? `${subject} <= ${number(max)}` : undefined].filter(
    (check): check is string => check !== undefined,
  );
  if (checks.length === 0) throw new Error(`dqdlFor: a bound on ${subject} needs min, max or both`);
  return checks.length === 1 ? checks[0] : checks.map((check) => `(${check})`).join(' and ');
}

/** A DQDL string literal: double quotes, with backslashes and double quotes escaped. */
export function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A number as DQDL reads it: plain decimal notation, never exponent form. */
function number(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`dqdlFor: ${value} is not a finite number`);
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, '') : text;
}
