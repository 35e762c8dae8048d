import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const terraformOnPath = (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'terraform')));
const mirror = resolve(ROOT, '..', 'shared', 'terraform-providers');

/** Runs the validation script on stacks written from `stacks` (name -> Terraform JSON). */
function validate(stacks: Record<string, unknown>): { status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'validate-terraform-test-'));
  try {
    for (const [name, json] of Object.entries(stacks)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'cdk.tf.json'), JSON.stringify(json));
    }
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', '.bin', 'ts-node'), '--swc', join(ROOT, 'scripts', 'validate-terraform.ts'), dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
  test('passes valid stacks, without their backend', () => {
    const { status, output } = validate({ 'acme-dev-azure-x': group() });
    expect(output).toContain('valid   acme-dev-azure-x');
    expect(output).toContain('1 stack(s), 0 error(s), 0 warning(s)');
    expect(status).toBe(0);
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
