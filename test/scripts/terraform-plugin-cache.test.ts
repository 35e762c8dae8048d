import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cacheEntry,
  cacheEntryProblem,
  hashRecord,
  lockedProviders,
  packageHash,
  recordLockedEntries,
  terraformPlatform,
  type ProviderVersion,
} from '../../scripts/terraform-plugin-cache';

const azurerm: ProviderVersion = { host: 'registry.terraform.io', namespace: 'hashicorp', type: 'azurerm', version: '4.55.0' };

let cache: string;
beforeEach(() => {
  cache = join(mkdtempSync(join(tmpdir(), 'plugin-cache-test-')), 'terraform-plugins');
});
afterEach(() => rmSync(join(cache, '..'), { recursive: true, force: true }));

/** A small stand-in for an unpacked provider in the cache; returns its directory. */
function cacheFakeProvider(provider: ProviderVersion): string {
  const entry = cacheEntry(cache, provider);
  mkdirSync(join(entry, 'docs'), { recursive: true });
  writeFileSync(join(entry, `terraform-provider-${provider.type}_v${provider.version}`), 'provider binary');
  writeFileSync(join(entry, 'docs', 'README.md'), '# fake\n');
  return entry;
}

const lockFile = (hash: string) => `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/azurerm" {
  version     = "4.55.0"
  constraints = "4.55.0"
  hashes = [
    "${hash}",
    "zh:0f6c5a1d7e4f8f4f2f9d8c7b6a5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e",
  ]
}
`;

describe('packageHash', () => {
  test("is Terraform's h1 hash of the directory", () => {
    // The expected value is the h1 definition computed with coreutils over the same two files
    // (sha256sum of each file, "<hex>  <path>" lines in byte order, sha256, base64), a pipeline that
    // reproduced the h1 of the lock file `terraform init` wrote for the databricks provider of the mirror.
    expect(packageHash(cacheFakeProvider({ ...azurerm, type: 'fake', version: '1.0.0' }))).toBe('h1:mIt8VqXA6eXMZbq2HUxplvFA0KRSPykKtRDxZSj0oh0=');
  });
});

describe('lockedProviders', () => {
  test('reads each provider of a lock file with its h1 hashes', () => {
    expect(lockedProviders(lockFile('h1:abc='))).toEqual([{ provider: azurerm, hashes: ['h1:abc='] }]);
  });
});

describe('recordLockedEntries and cacheEntryProblem', () => {
  test('an entry that matches the lock file is recorded and then passes', () => {
    const entry = cacheFakeProvider(azurerm);
    expect(recordLockedEntries(cache, lockFile(packageHash(entry)))).toEqual([]);
    expect(readFileSync(hashRecord(cache, azurerm), 'utf8')).toBe(`${packageHash(entry)}\n`);
    expect(cacheEntryProblem(cache, azurerm)).toBeUndefined();
  });

  test('fails when a recorded entry was truncated since, naming the entry and both hashes', () => {
    const entry = cacheFakeProvider(azurerm);
    const recorded = packageHash(entry);
    recordLockedEntries(cache, lockFile(recorded));
    truncateSync(join(entry, 'terraform-provider-azurerm_v4.55.0'), 4);
    expect(cacheEntryProblem(cache, azurerm)).toBe(
      `${entry} hashes to ${packageHash(entry)}, not to the ${recorded} recorded when it was filled (truncated or changed since)`,
    );
  });

  test('fails when no hash was recorded for an entry (an init that did not complete)', () => {
    const entry = cacheFakeProvider(azurerm);
    expect(cacheEntryProblem(cache, azurerm)).toMatch(`no verified hash is recorded for ${entry}`);
  });

  test('an entry that does not match the lock file is removed and reported, not recorded', () => {
    const entry = cacheFakeProvider(azurerm);
    const actual = packageHash(entry);
    expect(recordLockedEntries(cache, lockFile('h1:notTheHashOfTheEntry='))).toEqual([
      `registry.terraform.io/hashicorp/azurerm 4.55.0: ${entry} hashes to ${actual}, not to h1:notTheHashOfTheEntry= of the lock file; removed`,
    ]);
    expect(existsSync(entry)).toBe(false);
    expect(existsSync(hashRecord(cache, azurerm))).toBe(false);
  });
});

describe('terraformPlatform', () => {
  test("names platforms as Terraform's provider packages do", () => {
    expect(terraformPlatform('linux', 'x64')).toBe('linux_amd64');
    expect(terraformPlatform('darwin', 'arm64')).toBe('darwin_arm64');
    expect(terraformPlatform('win32', 'x64')).toBe('windows_amd64');
  });
});
