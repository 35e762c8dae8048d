import { closestMatch } from '../definition/closest-match';
import type { ConfigIssue } from './issue';
import type { PlatformDefinition } from './schema';

/**
 * What the delivery section needs from the rest of the definition: every environment it deploys exists;
 * a production environment is approved by a person before each deploy; no two environments share the
 * GitHub environment their identities trust; and, on Azure, each deployed environment has its own
 * subscription, because its deploy identity holds Contributor on the whole subscription (the stacks
 * create their own resource groups, see stacks/azure/cicd-stack.ts).
 */
export function cicdIssues(definition: PlatformDefinition): ConfigIssue[] {
  const cicd = definition.cicd;
  if (!cicd) return [];
  const issues: ConfigIssue[] = [];
  const known = Object.keys(definition.environments);
  const githubEnvironments = new Map<string, string>();
  const subscriptions = new Map<string, string>();
  for (const [name, delivery] of Object.entries(cicd.environments)) {
    const at = (...rest: string[]) => ['cicd', 'environments', name, ...rest];
    const env = definition.environments[name];
    if (!env) {
      const hint = closestMatch(name, known);
      issues.push({
        path: at(),
        message: `"${name}" is not an environment of the definition${hint ? ` (did you mean "${hint}"?)` : ''}; environments: ${known.join(', ')}`,
      });
      continue;
    }
    if (env.stage === 'production' && (delivery.approvers ?? []).length === 0) {
      issues.push({
        path: at('approvers'),
        message:
          `must name at least one GitHub user or org/team slug: environment ${name} is a production environment, ` +
          'and a production deploy waits for one of its required reviewers',
      });
    }
    const githubEnvironment = delivery.githubEnvironment ?? name;
    const sharing = githubEnvironments.get(githubEnvironment);
    if (sharing !== undefined) {
      issues.push({
        path: at('githubEnvironment'),
        message:
          `"${githubEnvironment}" is also the GitHub environment of ${sharing}; each environment needs its own, ` +
          "or either environment's deploy jobs could sign in to the other",
      });
    } else githubEnvironments.set(githubEnvironment, name);
    if (env.clouds.includes('azure') && env.azure) {
      const shared = subscriptions.get(env.azure.subscriptionId);
      if (shared !== undefined) {
        issues.push({
          path: ['environments', name, 'azure', 'subscriptionId'],
          message:
            `"${env.azure.subscriptionId}" is also the subscription of ${shared}, and both are deployed by cicd: a deploy identity is ` +
            'Contributor on its subscription, so each environment the pipeline deploys needs a subscription of its own',
        });
      } else subscriptions.set(env.azure.subscriptionId, name);
    }
  }
  return issues;
}
