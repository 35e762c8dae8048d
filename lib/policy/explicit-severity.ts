import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';

/**
 * Gives every violation a plugin reports an explicit severity ("error" unless it says otherwise).
 *
 * Why: when any finding of a plugin is acknowledged, aws-cdk-lib 2.276 recomputes that plugin's result
 * as "no violation has severity error", and violations without a severity (cfn-guard's, for one) then
 * pass. Measured here: an unacknowledged Control Tower finding let synth succeed as soon as another
 * Control Tower finding in the app was acknowledged. With explicit severities the gate holds.
 */
export function withExplicitSeverity<T extends IPolicyValidationPluginBeta1>(plugin: T): IPolicyValidationPluginBeta1 {
  return {
    name: plugin.name,
    version: plugin.version,
    ruleIds: plugin.ruleIds,
    validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
      const report = plugin.validate(context);
      const violations = report.violations.map((violation) => ({ ...violation, severity: violation.severity ?? 'error' }));
      return { ...report, violations, success: report.success && violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal') };
    },
  };
}
