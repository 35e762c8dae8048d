import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CachedCloudFormationValidatePlugin, cloudFormationValidateFingerprint } from './cached-cloudformation-validate';
import { withExplicitSeverity } from './explicit-severity';
import { ScopedCfnGuardValidator } from './scoped-cfn-guard-validator';
import { cachedPerTemplate, TemplateResultCache } from './template-result-cache';

export interface AwsPolicyGateOptions {
  /**
   * Where per-template results of the gates that judge one template at a time (the Control Tower rules, and
   * aws-cdk-lib's CloudFormation schema validation) are kept, so that each distinct template is checked once.
   * @default - no cache: every synth checks every template
   */
  readonly cacheDirectory?: string;
}

/**
 * Registers the AWS policy gates on an app: the cdk-nag AwsSolutions pack and the AWS Control Tower
 * proactive controls through cfn-guard (and aws-cdk-lib's CloudFormation validation, which the App runs
 * anyway). Synthesis fails on any finding that is not acknowledged in code, next to its resource, with a reason
 * (`Validations.of(construct).acknowledge({ id, reason })`). Every synth runs them, so no `cdk deploy` can
 * ship a template that failed them; with a cache directory, a template already checked by the same rules
 * and tools is not checked again (its cached findings, if any, fail synth just the same).
 */
export function addAwsPolicyGates(app: App, options: AwsPolicyGateOptions = {}): void {
  const scoped = new ScopedCfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 });
  const controlTower = withExplicitSeverity(scoped);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    options.cacheDirectory === undefined
      ? controlTower
      : cachedPerTemplate(controlTower, new TemplateResultCache(options.cacheDirectory, scoped.name, scoped.fingerprint)),
  );
  addCloudFormationValidation(app, options.cacheDirectory);
}

/**
 * aws-cdk-lib's built-in CloudFormation validation (its schema and rule engine), once per distinct template.
 * Left to aws-cdk-lib (uncached, every template on every synth) without a cache directory, and not run at all
 * when the App was created with `builtinCloudFormationValidation: false` (where cfn-lint checks the same
 * templates in the same command, `npm run policy`).
 */
function addCloudFormationValidation(app: App, cacheDirectory: string | undefined): void {
  if (cacheDirectory === undefined || !app._builtinCloudFormationValidation) return;
  Validations.of(app).addPlugins(
    new CachedCloudFormationValidatePlugin(new TemplateResultCache(cacheDirectory, 'cloudformation-validate', cloudFormationValidateFingerprint())),
  );
}
