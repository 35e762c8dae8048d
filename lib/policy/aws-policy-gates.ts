import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { withExplicitSeverity } from './explicit-severity';
import { ScopedCfnGuardValidator } from './scoped-cfn-guard-validator';

/**
 * Registers the AWS policy gates on an app: the cdk-nag AwsSolutions pack and the AWS Control Tower
 * proactive controls through cfn-guard. Synthesis fails on any finding that is not acknowledged in
 * code, next to its resource, with a reason (`Validations.of(construct).acknowledge({ id, reason })`).
 * Every synth runs them, so no `cdk deploy` can ship a template that failed them.
 */
export function addAwsPolicyGates(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), withExplicitSeverity(new ScopedCfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 })));
}
