import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { cacheEntry, cacheEntryProblem, packageHash, recordLockedEntries, type ProviderVersion } from '../../scripts/terraform-plugin-cache';

const ROOT = resolve(__dirname, '..', '..');
const terraformOnPath = (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'terraform')));
const mirror = resolve(ROOT, '..', 'shared', 'terraform-providers');

/** Runs the validation script on stacks written from `stacks` (name -> Terraform JSON), with `env` added to the environment. */
function validate(stacks: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): { status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'validate-terraform-test-'));
  try {
    for (const [name, json] of Object.entries(stacks)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'cdk.tf.json'), JSON.stringify(json));
    }
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', '.bin', 'ts-node'), '--swc', join(ROOT, 'scripts', 'validate-terraform.ts'), dir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const azurermProvider: ProviderVersion = { host: 'registry.terraform.io', namespace: 'hashicorp', type: 'azurerm', version: '4.55.0' };
const azurerm = { required_providers: { azurerm: { source: 'azurerm', version: '4.55.0' } }, backend: { azurerm: { key: 'x.tfstate' } } };
const provider = { azurerm: [{ features: [{}], subscription_id: '8f7e6d5c-4b3a-4291-8807-f6e5d4c3b2a1' }] };
const group = (extra: Record<string, unknown> = {}) => ({
  terraform: azurerm,
  provider,
  resource: { azurerm_resource_group: { rg: { name: 'rg-x', location: 'westeurope', ...extra } } },
});

// Terraform and the provider mirror are on this kind of machine and in CI; elsewhere the script builds
// OpenTofu and uses the registry, which a unit test must not do.
(terraformOnPath && existsSync(mirror) ? describe : describe.skip)('validate-terraform', () => {
  test('passes valid stacks, without their backend, and records the hash of the provider it cached', () => {
    const { status, output } = validate({ 'acme-dev-azure-x': group() });
    expect(output).toContain('valid   acme-dev-azure-x');
    expect(output).toContain('1 stack(s), 0 error(s), 0 warning(s)');
    expect(status).toBe(0);
    // recorded only when the unpacked provider hashes to the h1 that terraform wrote to the lock file
    const pluginCache = join(process.env.PLATFORM_CACHE_DIR ?? join(homedir(), '.cache', 'cloud-platform-solutions'), 'terraform-plugins');
    expect(cacheEntryProblem(pluginCache, azurermProvider)).toBeUndefined();
  });

  test('fails naming the stack, the resource and what the provider refuses', () => {
    const { status, output } = validate({ 'acme-dev-azure-x': group(), 'acme-dev-azure-y': group({ no_such_argument: true }) });
    expect(output).toContain('INVALID acme-dev-azure-y');
    expect(output).toMatch(/error: .*no_such_argument/);
    expect(output).toContain('2 stack(s), 1 error(s)');
    expect(status).toBe(1);
  });

  test('fails when there is no stack to validate', () => {
    const { status, output } = validate({});
    expect(output).toContain('no stack in');
    expect(status).toBe(1);
  });
});

// No terraform runs here: the script must refuse a broken cache entry before it calls init.
describe('validate-terraform without a provider mirror', () => {
  let scratch: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'validate-terraform-cache-test-'));
    const fakeTerraform = join(scratch, 'terraform');
    writeFileSync(fakeTerraform, '#!/bin/sh\n[ "$1" = version ] && echo "Terraform v0.0.0 (fake)" && exit 0\necho "fake terraform: $*" >&2; exit 3\n');
    chmodSync(fakeTerraform, 0o755);
    env = { PLATFORM_CACHE_DIR: join(scratch, 'cache'), TF_PROVIDER_MIRROR: join(scratch, 'no-mirror'), TERRAFORM_BINARY: fakeTerraform };
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  test('fails when a cached provider is truncated, naming the provider, the path and the fix, and removes it', () => {
    const pluginCache = join(scratch, 'cache', 'terraform-plugins');
    const entry = cacheEntry(pluginCache, azurermProvider);
    const binary = join(entry, 'terraform-provider-azurerm_v4.55.0_x5');
    mkdirSync(entry, { recursive: true });
    writeFileSync(binary, 'a complete provider binary');
    expect(
      recordLockedEntries(pluginCache, `provider "registry.terraform.io/hashicorp/azurerm" {\n  version = "4.55.0"\n  hashes = ["${packageHash(entry)}"]\n}\n`),
    ).toEqual([]);
    truncateSync(binary, 10);

    const { status, output } = validate({ 'acme-dev-azure-x': group() }, env);
    expect(output).toContain('the plugin cache holds an unusable registry.terraform.io/hashicorp/azurerm 4.55.0');
    expect(output).toContain(`${entry} hashes to`);
    expect(output).toContain(`there is no provider mirror at ${join(scratch, 'no-mirror')} to refill it from`);
    expect(output).toContain('Run again with the mirror in place');
    expect(output).not.toContain('fake terraform: init');
    expect(status).toBe(1);
    expect(existsSync(entry)).toBe(false);
  });
});
