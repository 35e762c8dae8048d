import { BudgetPolicy } from '@cdktf/provider-databricks/lib/budget-policy';
import type { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { Token } from 'cdktf';
import { Construct } from 'constructs';

export interface ServerlessBudgetPolicyProps {
  /** The account-level provider (host `https://accounts.azuredatabricks.net`, the account id): budget policies belong to the account. */
  readonly accountProvider: DatabricksProvider;
  /** Name of the policy (see `budgetPolicyName`). */
  readonly name: string;
  /** The workspace the policy is bound to (its numeric id, or a token for it). */
  readonly workspaceId: string;
  /** Cost-allocation tags every serverless usage under the policy carries. */
  readonly costTags: Readonly<Record<string, string>>;
}

/**
 * A Databricks budget policy: serverless compute (notebooks, jobs, pipelines, SQL) of the bound
 * workspace carries the cost-allocation tags, so the account's usage and budgets attribute it to the
 * platform and environment as cluster policies do for classic compute.
 */
export class ServerlessBudgetPolicy extends Construct {
  readonly policy: BudgetPolicy;

  constructor(scope: Construct, id: string, props: ServerlessBudgetPolicyProps) {
    super(scope, id);
    if (Object.keys(props.costTags).length === 0) throw new Error('costTags must name at least one tag (the cost-allocation tags)');
    this.policy = new BudgetPolicy(this, 'Resource', {
      provider: props.accountProvider,
      policyName: props.name,
      bindingWorkspaceIds: [Token.asNumber(props.workspaceId)],
      customTags: Object.entries(props.costTags).map(([key, value]) => ({ key, value })),
    });
  }
}
