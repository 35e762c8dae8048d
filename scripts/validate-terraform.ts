/**
 * `npm run validate:terraform [-- <cdktf.out/stacks>]`: Terraform's own validation of every synthesized
 * Azure and Databricks stack (`terraform init -backend=false` + `terraform validate`), with the real
 * providers, so a stack that the provider would refuse at plan time fails here first.
 *
 * Providers: from the filesystem mirror in `../shared/terraform-providers` when it exists (this
 * workplace and its CI reach no provider registry), or `TF_PROVIDER_MIRROR`; else from the plugin cache
 * outside the repository (`~/.cache/cloud-platform-solutions/terraform-plugins`, filled by every earlier
 * `init`) when it holds every provider at the version a stack needs, so a clone anywhere on a machine
 * that validated once stays offline; otherwise `init` uses the registry as on any user's machine. A cached
 * provider is used only when it matches the hash recorded from the lock file of the `init` that filled it
 * (scripts/terraform-plugin-cache.ts); one that does not is removed, and without a mirror to refill it
 * from, the run fails naming it.
 * Binary: `terraform` on the PATH, else `tofu` (OpenTofu) on the PATH or in the cache, else OpenTofu
 * built from the Go module proxy into the cache outside the repository
 * (`~/.cache/cloud-platform-solutions/tofu`, about 3 minutes once). One `init` per set of providers;
 * every stack links its `.terraform` and lock file. Errors fail the run; warnings are listed. It never
 * passes silently: no binary, no stack, or an `init` that fails is an error.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { cacheEntry, cacheEntryProblem, discardEntry, providerAddress, recordLockedEntries, type ProviderVersion } from './terraform-plugin-cache';

const ROOT = resolve(__dirname, '..');
const CACHE = process.env.PLATFORM_CACHE_DIR ?? join(homedir(), '.cache', 'cloud-platform-solutions');
const OPENTOFU_VERSION = '1.10.6';
const MIRROR = process.env.TF_PROVIDER_MIRROR ?? resolve(ROOT, '..', 'shared', 'terraform-providers');

interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

class ValidationError extends Error {}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The OpenTofu binary in the cache, built from the Go module proxy when missing. */
function openTofu(): string {
  const binary = join(CACHE, 'tofu', OPENTOFU_VERSION, 'tofu');
  if (existsSync(binary)) return binary;
  const go = onPath('go');
  if (!go) throw new ValidationError('no terraform or tofu on the PATH, and no Go toolchain to build OpenTofu; install Terraform >= 1.5');
  process.stdout.write(`validate-terraform: no terraform on the PATH; building OpenTofu ${OPENTOFU_VERSION} into ${binary} (once, a few minutes)\n`);
  execFileSync(go, ['mod', 'download', `github.com/opentofu/opentofu@v${OPENTOFU_VERSION}`], { stdio: 'inherit' });
  const modules = execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const work = mkdtempSync(join(tmpdir(), 'opentofu-'));
  try {
    cpSync(join(modules, 'github.com', 'opentofu', `opentofu@v${OPENTOFU_VERSION}`), join(work, 'tofu'), { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', join(work, 'tofu')]);
    execFileSync(go, ['build', '-trimpath', '-o', binary, './cmd/tofu'], { cwd: join(work, 'tofu'), stdio: 'inherit' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

/** The Terraform-compatible binary to validate with, and whether it is OpenTofu. */
function terraformBinary(): { path: string; tofu: boolean } {
  const terraform = process.env.TERRAFORM_BINARY ?? onPath('terraform');
  if (terraform) return { path: terraform, tofu: false };
  const tofu = onPath('tofu');
  return { path: tofu ?? openTofu(), tofu: true };
}

/**
 * The provider mirror to `init` from, in the layout the binary expects, or undefined for the registry.
 * OpenTofu resolves unqualified sources (`azurerm`) under its own registry host, so it gets a copy of
 * the mirror under that name.
 */
function providerMirror(tofu: boolean): string | undefined {
  if (!existsSync(MIRROR)) return undefined;
  if (!tofu) return MIRROR;
  const tofuMirror = join(CACHE, 'tofu', 'mirror');
  const copy = join(tofuMirror, 'registry.opentofu.org');
  if (!existsSync(copy)) {
    // Copied under a temporary name and renamed: an interrupted copy must not pass for the mirror.
    const partial = `${copy}.${process.pid}.partial`;
    mkdirSync(tofuMirror, { recursive: true });
    rmSync(partial, { recursive: true, force: true });
    cpSync(join(MIRROR, 'registry.terraform.io'), partial, { recursive: true });
    renameSync(partial, copy);
  }
  return tofuMirror;
}

/** The required providers at an exact version, or undefined when one has no source or no exact version. */
function pinnedProviders(requiredProviders: string, host: string): ProviderVersion[] | undefined {
  const required = Object.values(JSON.parse(requiredProviders) as Record<string, { source?: string; version?: string }>);
  const pinned = required.map(({ source, version }) => {
    if (!source || !version || !/^\d+\.\d+\.\d+$/.test(version)) return undefined;
    const [namespace, type] = source.includes('/') ? source.split('/').slice(-2) : ['hashicorp', source];
    return { host, namespace, type, version };
  });
  return pinned.every((provider) => provider !== undefined) ? pinned : undefined;
}

/**
 * The plugin cache as a `-plugin-dir` when it holds every required provider at its exact version (the
 * cache uses the unpacked mirror layout), else undefined. Never a partial match: a provider missing from
 * the cache must come from the registry, not fail offline. A cached provider that does not match its
 * recorded hash is removed, and the run fails: there is no mirror to refill it from.
 */
function cachedProviders(requiredProviders: string, pluginCache: string, host: string): string | undefined {
  const pinned = pinnedProviders(requiredProviders, host);
  if (!pinned || pinned.length === 0) return undefined;
  const cached = pinned.filter((provider) => existsSync(cacheEntry(pluginCache, provider)));
  for (const provider of cached) {
    const problem = cacheEntryProblem(pluginCache, provider);
    if (!problem) continue;
    discardEntry(pluginCache, provider);
    throw new ValidationError(
      `the plugin cache holds an unusable ${providerAddress(provider)} ${provider.version}:\n  ${problem}.\n` +
        `Removed ${cacheEntry(pluginCache, provider)}; there is no provider mirror at ${MIRROR} to refill it from.\n` +
        'Run again with the mirror in place (or TF_PROVIDER_MIRROR pointing at one), or where the provider registry is reachable.',
    );
  }
  return cached.length === pinned.length ? pluginCache : undefined;
}

function run(binary: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(binary, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** A stack's Terraform JSON without its backend (validation needs none, and reads no state). */
function validationCopy(stackFile: string): { json: Record<string, unknown>; providers: string } {
  const json = JSON.parse(readFileSync(stackFile, 'utf8')) as { terraform?: { backend?: unknown; required_providers?: unknown } };
  if (json.terraform) delete json.terraform.backend;
  return { json, providers: JSON.stringify(json.terraform?.required_providers ?? {}) };
}

function main(): number {
  const stacksDir = resolve(process.argv[2] ?? join(ROOT, 'cdktf.out', 'stacks'));
  if (!existsSync(stacksDir)) throw new ValidationError(`${stacksDir} does not exist; run npm run synth first`);
  const stacks = readdirSync(stacksDir)
    .filter((name) => existsSync(join(stacksDir, name, 'cdk.tf.json')))
    .sort();
  if (stacks.length === 0) throw new ValidationError(`no stack in ${stacksDir}; the definition produced no Terraform`);
  const binary = terraformBinary();
  const mirror = providerMirror(binary.tofu);
  const work = mkdtempSync(join(tmpdir(), 'validate-terraform-'));
  const initialised = new Map<string, string>();
  let errors = 0;
  let warnings = 0;
  try {
    const cliConfig = join(work, 'cli.tfrc');
    writeFileSync(cliConfig, '');
    const env = {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_PLUGIN_CACHE_DIR: join(CACHE, 'terraform-plugins'),
    };
    mkdirSync(env.TF_PLUGIN_CACHE_DIR, { recursive: true });
    const version = run(binary.path, ['version'], work, env).stdout.split('\n')[0];
    const source = mirror ?? 'the plugin cache when it holds them, else the registry';
    process.stdout.write(`validate-terraform: ${stacks.length} stack(s) with ${version}, providers from ${source}\n`);

    for (const stack of stacks) {
      const { json, providers } = validationCopy(join(stacksDir, stack, 'cdk.tf.json'));
      let base = initialised.get(providers);
      if (!base) {
        base = join(work, `providers-${createHash('sha256').update(providers).digest('hex').slice(0, 8)}`);
        mkdirSync(base);
        writeFileSync(join(base, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: JSON.parse(providers) } }));
        const pluginDir = mirror ?? cachedProviders(providers, env.TF_PLUGIN_CACHE_DIR, binary.tofu ? 'registry.opentofu.org' : 'registry.terraform.io');
        if (!mirror && pluginDir) process.stdout.write(`validate-terraform: providers ${providers} from the plugin cache ${pluginDir}\n`);
        // Terraform refuses to install from its own plugin cache into itself: no cache for that init.
        const initEnv = pluginDir === env.TF_PLUGIN_CACHE_DIR ? { ...env, TF_PLUGIN_CACHE_DIR: '' } : env;
        const initArgs = ['init', '-backend=false', '-input=false', '-no-color', ...(pluginDir ? [`-plugin-dir=${pluginDir}`] : [])];
        const init = run(binary.path, initArgs, base, initEnv);
        if (init.status !== 0) throw new ValidationError(`init of providers ${providers} failed:\n${init.stdout}${init.stderr}`);
        if (initEnv.TF_PLUGIN_CACHE_DIR) {
          // This init filled the cache (from the mirror or the registry): record what it verified.
          const problems = recordLockedEntries(env.TF_PLUGIN_CACHE_DIR, readFileSync(join(base, '.terraform.lock.hcl'), 'utf8'));
          if (problems.length > 0) throw new ValidationError(`the plugin cache does not hold what init installed:\n  ${problems.join('\n  ')}\nrun again.`);
        }
        initialised.set(providers, base);
      }
      const dir = join(work, stack);
      mkdirSync(dir);
      writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(json));
      symlinkSync(join(base, '.terraform'), join(dir, '.terraform'));
      if (existsSync(join(base, '.terraform.lock.hcl'))) symlinkSync(join(base, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
      const result = run(binary.path, ['validate', '-json', '-no-color'], dir, env);
      let diagnostics: Diagnostic[];
      try {
        diagnostics = (JSON.parse(result.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
      } catch {
        throw new ValidationError(`${stack}: validate printed no JSON (exit ${result.status}):\n${result.stdout}${result.stderr}`);
      }
      const stackErrors = diagnostics.filter((d) => d.severity === 'error');
      const stackWarnings = diagnostics.filter((d) => d.severity === 'warning');
      if (result.status !== 0 && stackErrors.length === 0)
        throw new ValidationError(`${stack}: validate failed (exit ${result.status}) without a diagnostic:\n${result.stderr}`);
      errors += stackErrors.length;
      warnings += stackWarnings.length;
      process.stdout.write(
        `  ${stackErrors.length > 0 ? 'INVALID' : 'valid  '} ${stack}${stackWarnings.length > 0 ? ` (${stackWarnings.length} warning(s))` : ''}\n`,
      );
      for (const d of [...stackErrors, ...stackWarnings]) {
        process.stdout.write(
          `    ${d.severity}: ${d.address ? `${d.address}: ` : ''}${d.summary}${d.detail ? ` — ${d.detail.replace(/\s+/g, ' ').trim()}` : ''}\n`,
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`validate-terraform: ${stacks.length} stack(s), ${errors} error(s), ${warnings} warning(s)\n`);
  return errors > 0 ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  process.stderr.write(`validate-terraform: ${error.message}\n`);
  process.exitCode = 1;
}
