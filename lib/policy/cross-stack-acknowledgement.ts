import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Control Tower rules read one template at a time: a setting whose value comes from another stack
 * (a cross-stack reference, rendered as Fn::GetStackOutput) looks missing to them although it is set.
 * Acknowledges `ruleId` on `resource` exactly when `dependency` lives in another stack, saying so.
 */
export function acknowledgeCrossStackSetting(resource: IConstruct, dependency: IConstruct, ruleId: string, setting: string): void {
  const owner = Stack.of(dependency);
  if (owner === Stack.of(resource)) return;
  Validations.of(resource).acknowledge({
    id: `cdk-validator-cfnguard::${ruleId}`,
    reason: `${setting} is set, with a value from stack ${owner.stackName} (a cross-stack reference, Fn::GetStackOutput) that the rule cannot follow.`,
  });
}
