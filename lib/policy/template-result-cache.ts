import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';

/** Bumped when what a cache entry holds, or how a gate is scoped, changes: older entries are then never read. */
const CACHE_FORMAT = 1;

/** Entries no synth has read for this long are removed, so that the folder does not grow with every edit. */
const UNUSED_ENTRY_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;

/** The outcome of one gate on one template, as the cache keeps it. */
interface CachedTemplateResult {
  /** Whether the template passed on its own (no violation of severity error or fatal, or without a severity). */
  readonly success: boolean;
  /** The violations on this template, their resources without a template path (it is the current one on a hit). */
  readonly violations: readonly PolicyViolation[];
}

/** A SHA-256 fingerprint of strings (a template's content, rule files, tool versions). */
export function fingerprintOf(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(String(part.length)).update(':').update(part);
  return hash.digest('hex');
}

/**
 * Results of one policy gate per template, on disk, keyed on the template's content, its account and region,
 * and the gate's fingerprint (the tool's version and the content of its rules): a result is reused only for
 * the very template, rules and tool that produced it. Entries are written whole (write, then rename), so
 * concurrent synths (jest workers, two worktrees) never read half an entry.
 */
export class TemplateResultCache {
  private pruned = false;

  /**
   * @param directory where the entries live, one folder per gate (outside the repository: the user's cache folder)
   * @param gate the gate's name, a folder under `directory`
   * @param gateFingerprint what else the result depends on: tool version, rule files, options
   */
  constructor(
    private readonly directory: string,
    private readonly gate: string,
    private readonly gateFingerprint: string,
  ) {}

  /** The key of a template's result: its content, account and region, and the gate's fingerprint. */
  keyOf(templateContent: string, accountId?: string, region?: string): string {
    return fingerprintOf(String(CACHE_FORMAT), this.gate, this.gateFingerprint, accountId ?? '', region ?? '', templateContent);
  }

  private folder(): string {
    return join(this.directory, this.gate.replace(/[^A-Za-z0-9._-]/g, '_'));
  }

  read(key: string): CachedTemplateResult | undefined {
    const path = join(this.folder(), `${key}.json`);
    try {
      const entry = JSON.parse(readFileSync(path, 'utf8')) as CachedTemplateResult;
      const now = new Date();
      utimesSync(path, now, now);
      return entry;
    } catch {
      return undefined; // absent, unreadable or half-removed by a prune elsewhere: run the gate
    }
  }

  write(key: string, result: CachedTemplateResult): void {
    const folder = this.folder();
    try {
      mkdirSync(folder, { recursive: true });
      const temporary = join(folder, `.${key}.${process.pid}.tmp`);
      writeFileSync(temporary, JSON.stringify(result));
      renameSync(temporary, join(folder, `${key}.json`));
      this.prune(folder);
    } catch {
      // A cache that cannot be written only costs time: the gate ran and its result stands.
    }
  }

  private prune(folder: string): void {
    if (this.pruned) return;
    this.pruned = true;
    const oldest = Date.now() - UNUSED_ENTRY_MAX_AGE_MS;
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).mtimeMs < oldest) rmSync(path, { force: true });
    }
  }
}

const failing = (violation: PolicyViolation) => violation.severity === undefined || violation.severity === 'error' || violation.severity === 'fatal';

/** The violations of a report that concern one template, each with only that template's resources. */
function violationsOn(report: PolicyValidationPluginReport, templatePath: string): PolicyViolation[] {
  return report.violations.flatMap((violation) => {
    const resources = violation.violatingResources.filter((resource) => resource.templatePath === templatePath);
    return resources.length === 0 ? [] : [{ ...violation, violatingResources: resources }];
  });
}

/**
 * Runs a per-template gate once per distinct template: templates whose result is cached (same content,
 * account, region, rules and tool) are not checked again; the others go to the gate in ONE call (one
 * process for an external tool), and their results are cached. The report is the gate's own for the
 * templates it checked plus the cached violations of the others, so a cached failure fails synth exactly as
 * a fresh one does and acknowledgements apply to both alike.
 *
 * Only gates that judge each template on its own may be wrapped (cfn-guard, CloudFormation's schema
 * validation) — not gates that read the construct tree (cdk-nag). A result is cached only when every
 * violation the gate reported names the template it is on.
 */
export function validateOncePerTemplate(
  context: IPolicyValidationContext,
  cache: TemplateResultCache,
  validate: (context: IPolicyValidationContext) => PolicyValidationPluginReport,
): PolicyValidationPluginReport {
  const templates = context.stackTemplates.map((template) => {
    const key = cache.keyOf(readFileSync(template.templatePath, 'utf8'), template.accountId, template.region);
    return { template, key, cached: cache.read(key) };
  });
  const unchecked = templates.filter(({ cached }) => cached === undefined).map(({ template }) => template);
  const fresh: PolicyValidationPluginReport =
    unchecked.length === 0
      ? { success: true, violations: [] }
      : validate({ ...context, stackTemplates: unchecked, templatePaths: unchecked.map((t) => t.templatePath) });

  // Cacheable only when each template's outcome can be told apart: a failure without findings, or a finding
  // without its template, is reported as it is and checked again next time.
  const attributable =
    (fresh.success || fresh.violations.length > 0) &&
    fresh.violations.every((violation) => violation.violatingResources.every((resource) => resource.templatePath !== undefined));
  if (attributable) {
    for (const { template, key, cached } of templates) {
      if (cached) continue;
      const violations = violationsOn(fresh, template.templatePath).map((violation) => ({
        ...violation,
        violatingResources: violation.violatingResources.map(({ templatePath: _path, ...resource }) => resource),
      }));
      cache.write(key, { success: !violations.some(failing), violations });
    }
  }

  const reused = templates.flatMap(({ template, cached }) =>
    (cached?.violations ?? []).map((violation) => ({
      ...violation,
      violatingResources: violation.violatingResources.map((resource) => ({ ...resource, templatePath: template.templatePath })),
    })),
  );
  return {
    ...fresh,
    success: fresh.success && templates.every(({ cached }) => cached?.success ?? true),
    violations: [...fresh.violations, ...reused],
  };
}

/** A per-template gate (see validateOncePerTemplate) as a plugin that runs once per distinct template. */
export function cachedPerTemplate(plugin: IPolicyValidationPlugin, cache: TemplateResultCache): IPolicyValidationPlugin {
  return {
    name: plugin.name,
    version: plugin.version,
    ruleIds: plugin.ruleIds,
    validate: (context) => validateOncePerTemplate(context, cache, (subset) => plugin.validate(subset)),
  };
}
