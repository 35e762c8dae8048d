import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** The home folder as the SDK's shared-ini loader finds it (HOME, USERPROFILE, HOMEDRIVE + HOMEPATH). */
function homeOf(env: Env): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? `C:${sep}`}${env.HOMEPATH}`;
  return homedir();
}

/** The shared config and credentials files the SDK reads: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/. */
export function sharedProfileFiles(env: Env): { readonly config: string; readonly credentials: string } {
  const home = homeOf(env);
  const expand = (path: string) => (path.startsWith(`~${sep}`) || path.startsWith('~/') ? join(home, path.slice(2)) : path);
  return {
    config: expand(env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials')),
  };
}

/**
 * Profile names of a shared file: `[default]` and `[profile name]` in the config file (not
 * `[sso-session ...]` or `[services ...]`), every `[name]` in the credentials file.
 */
export function profilesIn(text: string, kind: 'config' | 'credentials'): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line)?.[1];
    if (!section) continue;
    if (kind === 'credentials') names.push(section);
    else if (section === 'default') names.push(section);
    else if (/^profile\s+/.test(section)) names.push(section.replace(/^profile\s+/, ''));
  }
  return names;
}

function readIfExists(path: string): string | undefined {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When AWS_PROFILE names a profile that is in neither shared file: a message that says so, lists the
 * profiles there and what to do. Undefined when AWS_PROFILE is unset or the profile exists.
 */
export function missingProfileMessage(env: Env): string | undefined {
  const profile = env.AWS_PROFILE;
  if (!profile) return undefined;
  const files = sharedProfileFiles(env);
  const config = readIfExists(files.config);
  const credentials = readIfExists(files.credentials);
  const known = [...new Set([...profilesIn(config ?? '', 'config'), ...profilesIn(credentials ?? '', 'credentials')])].sort();
  if (known.includes(profile)) return undefined;
  const home = homeOf(env);
  const shown = (path: string) => (path.startsWith(`${home}${sep}`) ? `~${path.slice(home.length)}` : path);
  const where = `${shown(files.config)} or ${shown(files.credentials)}`;
  const add = `add the profile (e.g. aws configure sso --profile ${profile})`;
  if (known.length > 0)
    return (
      `AWS_PROFILE "${profile}" was not found in ${where} (profiles there: ${known.join(', ')}); ` +
      `set AWS_PROFILE to one of them, ${add}, or unset AWS_PROFILE`
    );
  const state = config === undefined && credentials === undefined ? 'neither file exists' : 'they define no profile';
  return `AWS_PROFILE "${profile}" was not found in ${where} (${state}); ${add}, or unset AWS_PROFILE`;
}
