/**
 * Trust for the Terraform plugin cache of scripts/validate-terraform.ts (`TF_PLUGIN_CACHE_DIR`, unpacked
 * layout `<host>/<namespace>/<type>/<version>/<os>_<arch>/`).
 *
 * Terraform fills the cache in place, so an interrupted `init` or a full disk leaves a truncated provider
 * there, and a later `init -plugin-dir=<cache>` installs it without a check (no lock file to compare
 * with): `validate` then fails with an error that does not point at the cache. So an entry is used only
 * when its Terraform package hash (`h1:`) equals the one recorded for it, and a hash is recorded only after
 * an `init` from the mirror or the registry, from the lock file that `init` wrote (Terraform computes it
 * from the package it installed: the mirror's zip or the registry's signed download), and only when the
 * unpacked entry matches it. The record, written under a temporary name and renamed, is the mark of a
 * complete entry: an entry without one was never completed and is not trusted either.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, posix, relative, sep } from 'node:path';

/** A provider at one version, as a stack requires it and as the lock file names it. */
export interface ProviderVersion {
  /** Registry host, e.g. `registry.terraform.io`. */
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
}

/** Terraform's name for a platform (`linux_amd64`), for the running one by default. */
export function terraformPlatform(os: string = platform(), cpu: string = arch()): string {
  const goos = os === 'win32' ? 'windows' : os;
  const goarch = ({ x64: 'amd64', ia32: '386' } as Record<string, string>)[cpu] ?? cpu;
  return `${goos}_${goarch}`;
}

/** `host/namespace/type` of a provider, as in the lock file. */
export function providerAddress(provider: ProviderVersion): string {
  return `${provider.host}/${provider.namespace}/${provider.type}`;
}

/** The cache entry (unpacked package directory) of a provider for a platform. */
export function cacheEntry(pluginCache: string, provider: ProviderVersion, os: string = terraformPlatform()): string {
  return join(pluginCache, provider.host, provider.namespace, provider.type, provider.version, os);
}

/** Where the verified hash of a cache entry is recorded: beside the cache, where `-plugin-dir` does not look. */
export function hashRecord(pluginCache: string, provider: ProviderVersion, os: string = terraformPlatform()): string {
  return join(`${pluginCache}.verified`, provider.host, provider.namespace, provider.type, provider.version, `${os}.h1`);
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Terraform's package hash of an unpacked provider directory (`h1:`, Go's dirhash Hash1): the SHA-256 of
 * the sorted lines `<sha256 of the file>  <path relative to the directory>`, base64.
 */
export function packageHash(directory: string): string {
  const lines = filesUnder(directory)
    .map((file) => relative(directory, file).split(sep).join(posix.sep))
    .sort()
    .map(
      (name) =>
        `${createHash('sha256')
          .update(readFileSync(join(directory, name)))
          .digest('hex')}  ${name}\n`,
    );
  return `h1:${createHash('sha256').update(lines.join('')).digest('base64')}`;
}

/** The providers of a `.terraform.lock.hcl` with their `h1:` hashes. */
export function lockedProviders(lockFile: string): { provider: ProviderVersion; hashes: string[] }[] {
  return [...lockFile.matchAll(/^provider "([^"]+)" \{\n([\s\S]*?)^\}/gm)].flatMap(([, address, body]) => {
    const parts = address.split('/');
    const version = /^\s*version\s*=\s*"([^"]+)"/m.exec(body)?.[1];
    if (parts.length !== 3 || !version) return [];
    const [host, namespace, type] = parts;
    return [{ provider: { host, namespace, type, version }, hashes: [...body.matchAll(/"(h1:[^"]+)"/g)].map((match) => match[1]) }];
  });
}

/** Writes `text` to `path` under a temporary name and renames it, so that a reader sees all of it or nothing. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, path);
}

/** Removes a cache entry and its record, so that the next `init` from a mirror or the registry fills it again. */
export function discardEntry(pluginCache: string, provider: ProviderVersion): void {
  rmSync(cacheEntry(pluginCache, provider), { recursive: true, force: true });
  rmSync(hashRecord(pluginCache, provider), { force: true });
}

/** What is wrong with a provider's cache entry, or undefined when it matches its recorded hash. */
export function cacheEntryProblem(pluginCache: string, provider: ProviderVersion): string | undefined {
  const entry = cacheEntry(pluginCache, provider);
  if (!existsSync(entry)) return `${entry} is missing`;
  const record = hashRecord(pluginCache, provider);
  if (!existsSync(record)) return `no verified hash is recorded for ${entry} (${record} is missing: the entry was never completed, or predates the record)`;
  const expected = readFileSync(record, 'utf8').trim();
  const actual = packageHash(entry);
  return actual === expected ? undefined : `${entry} hashes to ${actual}, not to the ${expected} recorded when it was filled (truncated or changed since)`;
}

/**
 * After an `init` that filled the cache: records the hash of each cache entry the lock file names when it
 * matches a hash of the lock file; an entry that does not match is discarded and returned as a problem.
 */
export function recordLockedEntries(pluginCache: string, lockFile: string): string[] {
  const problems: string[] = [];
  for (const { provider, hashes } of lockedProviders(lockFile)) {
    const entry = cacheEntry(pluginCache, provider);
    if (!existsSync(entry)) continue;
    const actual = packageHash(entry);
    if (hashes.includes(actual)) {
      writeAtomically(hashRecord(pluginCache, provider), `${actual}\n`);
    } else {
      discardEntry(pluginCache, provider);
      problems.push(`${providerAddress(provider)} ${provider.version}: ${entry} hashes to ${actual}, not to ${hashes.join(' or ')} of the lock file; removed`);
    }
  }
  return problems;
}
