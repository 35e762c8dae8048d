import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from './flatten-cfn-reference';

interface StatementJson {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

/**
 * Acknowledges each cdk-nag AwsSolutions-IAM5 finding of the given policy documents on `owner` (the
 * construct cdk-nag reports: a role with inline policies, or a policy), one finding id per wildcard
 * action or resource, with the reason `reasonFor` gives for it. A wildcard `reasonFor` has no reason
 * for stays a finding and fails synth. Resources must be known in this stack (names, same-stack
 * references): a cross-stack reference renders differently when cdk-nag reads it (see
 * `acknowledgeIamWildcardsAtSynth`).
 */
export function acknowledgeIamWildcards(owner: IConstruct, documents: readonly unknown[], reasonFor: (finding: string) => string | undefined): void {
  const stack = Stack.of(owner);
  const seen = new Set<string>();
  for (const document of documents) {
    const resolved = stack.resolve(document) as { Statement?: StatementJson[] } | undefined;
    for (const statement of resolved?.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      const actions = [statement.Action ?? []]
        .flat()
        .filter((action) => action.includes('*'))
        .map((action) => `Action::${action}`);
      const resources = [statement.Resource ?? []]
        .flat()
        .map((resource) => flattenCfnReference(resource))
        .filter((resource) => resource.includes('*'))
        .map((resource) => `Resource::${resource}`);
      for (const finding of [...actions, ...resources]) {
        if (seen.has(finding)) continue;
        const reason = reasonFor(finding);
        if (reason === undefined) continue;
        seen.add(finding);
        Validations.of(owner).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
      }
    }
  }
}

/**
 * `acknowledgeIamWildcards` once synthesis has resolved the cross-stack references (as
 * `Fn::GetStackOutput`), so that a wildcard resource built on a value from another stack (e.g.
 * `<virtual cluster ARN>/jobruns/*`) gets the finding id cdk-nag gives it. It runs as a validation of
 * `owner`, after the references are resolved and before the policy gates read the tree.
 */
export function acknowledgeIamWildcardsAtSynth(owner: IConstruct, documents: readonly unknown[], reasonFor: (finding: string) => string | undefined): void {
  owner.node.addValidation({
    validate: () => {
      acknowledgeIamWildcards(owner, documents, reasonFor);
      return [];
    },
  });
}
