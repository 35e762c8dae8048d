/** Git hosts the Databricks jobs service checks out from, by host name. */
const GIT_PROVIDERS: ReadonlyArray<[(host: string) => boolean, string]> = [
  [(host) => host === 'github.com', 'gitHub'],
  [(host) => host === 'gitlab.com', 'gitLab'],
  [(host) => host === 'bitbucket.org', 'bitbucketCloud'],
  [(host) => host === 'dev.azure.com' || host.endsWith('.visualstudio.com'), 'azureDevOpsServices'],
];

/** The Databricks `git_provider` of a repository URL, or undefined when the jobs service does not know its host. */
export function gitProviderOf(url: string): string | undefined {
  const host = /^https:\/\/([^/:]+)/.exec(url)?.[1]?.toLowerCase() ?? '';
  return GIT_PROVIDERS.find(([matches]) => matches(host))?.[1];
}

export const KNOWN_GIT_HOSTS = 'github.com, gitlab.com, bitbucket.org, dev.azure.com';
