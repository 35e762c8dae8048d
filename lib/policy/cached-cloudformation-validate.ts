import { CloudFormationValidatePlugin, type IPolicyValidationContext, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { fingerprintOf, type TemplateResultCache, validateOncePerTemplate } from './template-result-cache';

/** What the built-in validation's findings depend on besides the template: aws-cdk-lib (its rules and options) and its engine. */
export function cloudFormationValidateFingerprint(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed version, not the one typed at build time
  const cdkVersion = (require('aws-cdk-lib/package.json') as { version: string }).version;
  return fingerprintOf(cdkVersion, new CloudFormationValidatePlugin().version ?? '');
}

/**
 * aws-cdk-lib's built-in CloudFormation validation, run once per distinct template (see validateOncePerTemplate).
 * Registered on the App, it replaces the default instance: aws-cdk-lib adds its own only when the app holds
 * no CloudFormationValidatePlugin, and treats this one as the built-in (same reporting, same severities).
 */
export class CachedCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  constructor(private readonly cache: TemplateResultCache) {
    super();
  }

  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return validateOncePerTemplate(context, this.cache, (subset) => super.validate(subset));
  }
}
