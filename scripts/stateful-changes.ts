/**
 * The core of the stateful-change gate: which stateful resources of a base synthesis a working-tree synthesis
 * deletes or replaces, and which of those an override file allows. Pure over the synthesized JSON, so tests
 * run it on small fixture trees; scripts/diff-safety.ts synthesizes and prints.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CfnReplacementSpec, equalJson, isObject } from './cfn-replacement-spec';
import { STATEFUL_CFN_TYPES, STATEFUL_TERRAFORM_TYPES } from './stateful-resources';

/** One resource of a synthesized stack: its type and its configuration (CloudFormation `Properties`, Terraform arguments). */
export interface SynthesizedResource {
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

/** A synthesized stack: its toolchain, its resources by logical id (CloudFormation) or address (Terraform), and Terraform's `moved` blocks. */
export interface SynthesizedStack {
  readonly toolchain: 'cloudformation' | 'terraform';
  readonly resources: ReadonlyMap<string, SynthesizedResource>;
  /** Terraform `moved` blocks, from address to address. */
  readonly moved: ReadonlyMap<string, string>;
}

/** Every stack a synthesis wrote, by stack name (`<prefix>-<env>-...`, which names the environment). */
export type Synthesis = ReadonlyMap<string, SynthesizedStack>;

/** A stateful resource of the base that the working tree deletes or replaces. */
export interface StatefulChange {
  readonly stack: string;
  /** The logical id or address in the base. */
  readonly resource: string;
  readonly type: string;
  /** Why it is deleted or replaced, for a person. */
  readonly why: string;
}

/** An entry of the override file: a named replacement, allowed for a reason. */
export interface Override {
  readonly stack: string;
  readonly resource: string;
  readonly reason: string;
}

export interface GateResult {
  readonly refused: StatefulChange[];
  readonly allowed: { change: StatefulChange; reason: string }[];
  /** Problems with the override file itself (an override without a reason, or for a resource that is not replaced). */
  readonly overrideErrors: string[];
}

/** Reads what `npm run synth` wrote below `dir`: cdk.out/<stack>.template.json and cdktf.out/stacks/<stack>/cdk.tf.json. */
export function readSynthesis(dir: string): Synthesis {
  const stacks = new Map<string, SynthesizedStack>();
  const cdkOut = join(dir, 'cdk.out');
  if (existsSync(cdkOut)) {
    for (const file of readdirSync(cdkOut).filter((name) => name.endsWith('.template.json'))) {
      const template = JSON.parse(readFileSync(join(cdkOut, file), 'utf8')) as {
        Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
      };
      const resources = new Map(
        Object.entries(template.Resources ?? {}).map(([id, { Type, Properties }]) => [id, { type: Type, properties: Properties ?? {} }]),
      );
      stacks.set(file.slice(0, -'.template.json'.length), { toolchain: 'cloudformation', resources, moved: new Map() });
    }
  }
  const cdktfStacks = join(dir, 'cdktf.out', 'stacks');
  if (existsSync(cdktfStacks)) {
    for (const name of readdirSync(cdktfStacks).filter((entry) => existsSync(join(cdktfStacks, entry, 'cdk.tf.json')))) {
      const json = JSON.parse(readFileSync(join(cdktfStacks, name, 'cdk.tf.json'), 'utf8')) as {
        resource?: Record<string, Record<string, Record<string, unknown>>>;
        moved?: { from: string; to: string }[];
      };
      const resources = new Map<string, SynthesizedResource>();
      for (const [type, byName] of Object.entries(json.resource ?? {})) {
        for (const [resourceName, config] of Object.entries(byName)) resources.set(`${type}.${resourceName}`, { type, properties: config });
      }
      stacks.set(name, { toolchain: 'terraform', resources, moved: new Map((json.moved ?? []).map(({ from, to }) => [from, to])) });
    }
  }
  return stacks;
}

/** Whether a resource type is one the gate protects. */
export function isStateful(toolchain: SynthesizedStack['toolchain'], type: string): boolean {
  return toolchain === 'cloudformation' ? type in STATEFUL_CFN_TYPES : type in STATEFUL_TERRAFORM_TYPES;
}

/** Every stateful resource of `base` that `work` deletes or replaces, in stack and resource order. */
export function statefulChanges(base: Synthesis, work: Synthesis, spec: CfnReplacementSpec): StatefulChange[] {
  const changes: StatefulChange[] = [];
  for (const [stack, before] of [...base].sort(([a], [b]) => a.localeCompare(b))) {
    const after = work.get(stack);
    for (const [id, resource] of [...before.resources].sort(([a], [b]) => a.localeCompare(b))) {
      if (!isStateful(before.toolchain, resource.type)) continue;
      const why = after ? whyReplaced(id, resource, before, after, spec) : `deleted: the stack ${stack} is no longer synthesized`;
      if (why) changes.push({ stack, resource: id, type: resource.type, why });
    }
  }
  return changes;
}

/** Why `resource` (`id` in the base stack `before`) is deleted or replaced in the working tree's stack `after`, or undefined when it is kept. */
function whyReplaced(id: string, resource: SynthesizedResource, before: SynthesizedStack, after: SynthesizedStack, spec: CfnReplacementSpec) {
  const toolchain = before.toolchain;
  const movedTo = after.moved.get(id);
  const currentId = movedTo && after.resources.has(movedTo) ? movedTo : id;
  const current = after.resources.get(currentId);
  if (!current) {
    // A new id with the same type and configuration is most likely this resource renamed: say so, it is the likelier mistake.
    const renamed = [...after.resources].find(
      ([otherId, other]) => !before.resources.has(otherId) && other.type === resource.type && sameIdentity(resource, other),
    );
    const kind = toolchain === 'cloudformation' ? 'logical id' : 'address';
    return renamed ? `${kind} changed to ${renamed[0]} (a new resource; the old one is deleted)` : `deleted: no ${kind} ${id} in the working tree`;
  }
  if (current.type !== resource.type) return `type changed to ${current.type}`;
  if (toolchain === 'cloudformation') {
    if (!spec.has(resource.type)) return `the CloudFormation spec does not know ${resource.type}: the gate cannot judge its changes`;
    const replacing = spec.replacingChanges(resource.type, resource.properties, current.properties);
    if (replacing.length === 0) return undefined;
    return replacing
      .map(({ path, causesReplacement }) => `property ${path} ${causesReplacement === 'yes' ? 'requires' : 'may require'} replacement`)
      .join('; ');
  }
  const forced = STATEFUL_TERRAFORM_TYPES[resource.type].forceNew.flatMap((attribute) => {
    const name = typeof attribute === 'string' ? attribute : attribute.name;
    const [was, is] = [resource.properties[name], current.properties[name]];
    if (equalJson(was, is) || (typeof attribute !== 'string' && !attribute.when(was, is))) return [];
    return [`attribute ${name} forces replacement${typeof attribute === 'string' ? '' : ` (${attribute.note})`}`];
  });
  return forced.length === 0 ? undefined : forced.join('; ');
}

/** Whether two resources of one type are most likely the same one under another id: same properties apart from metadata. */
function sameIdentity(a: SynthesizedResource, b: SynthesizedResource): boolean {
  const withoutMetadata = (properties: Record<string, unknown>) => Object.fromEntries(Object.entries(properties).filter(([key]) => key !== '//'));
  return equalJson(withoutMetadata(a.properties), withoutMetadata(b.properties));
}

/** Parses the override file's text: `{ "allow": [{ "stack", "resource", "reason" }] }`. Throws with every problem. */
export function parseOverrides(text: string, file: string): Override[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON: ${(error as Error).message}`);
  }
  if (!isObject(json) || !Array.isArray(json.allow)) throw new Error(`${file}: must be an object with an "allow" array of { stack, resource, reason }`);
  const problems: string[] = [];
  const overrides = json.allow.map((entry: unknown, index) => {
    const fields = isObject(entry) ? entry : {};
    for (const key of ['stack', 'resource', 'reason']) {
      if (typeof fields[key] !== 'string') problems.push(`${file}: allow[${index}].${key} must be a string`);
    }
    for (const key of Object.keys(fields).filter((key) => !['stack', 'resource', 'reason'].includes(key))) {
      problems.push(`${file}: allow[${index}].${key} is not a field (stack, resource, reason)`);
    }
    return { stack: String(fields.stack ?? ''), resource: String(fields.resource ?? ''), reason: String(fields.reason ?? '') };
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return overrides;
}

/** Splits `changes` into refused and allowed by `overrides`; an override without a reason, or naming no such change, is an error. */
export function applyOverrides(changes: readonly StatefulChange[], overrides: readonly Override[]): GateResult {
  const overrideErrors: string[] = [];
  const usable = overrides.filter((override, index) => {
    const label = `override ${index + 1} (${override.stack} ${override.resource})`;
    if (override.reason.trim() === '') overrideErrors.push(`${label} has no reason: say why replacing it is safe`);
    else if (!changes.some((change) => change.stack === override.stack && change.resource === override.resource)) {
      overrideErrors.push(`${label} names no deleted or replaced stateful resource: remove it (stale overrides must not linger)`);
    } else return true;
    return false;
  });
  const refused: StatefulChange[] = [];
  const allowed: GateResult['allowed'] = [];
  for (const change of changes) {
    const override = usable.find(({ stack, resource }) => stack === change.stack && resource === change.resource);
    if (override) allowed.push({ change, reason: override.reason });
    else refused.push(change);
  }
  return { refused, allowed, overrideErrors };
}

export const OVERRIDES_FILE = 'safety-overrides.json';

/** The gate's report for a person: every refused change with how to allow it, every allowed one with its reason, every override error. */
export function formatResult(result: GateResult, ref: string): string {
  const lines: string[] = [];
  for (const { change, reason } of result.allowed) {
    lines.push(`allowed  ${change.stack}  ${change.resource} (${change.type}): ${change.why}\n         reason: ${reason}`);
  }
  for (const change of result.refused) lines.push(`REFUSED  ${change.stack}  ${change.resource} (${change.type}): ${change.why}`);
  for (const error of result.overrideErrors) lines.push(`OVERRIDE ${error}`);
  if (result.refused.length > 0) {
    const example = result.refused[0];
    lines.push(
      `diff-safety: ${result.refused.length} stateful resource(s) would be deleted or replaced against ${ref}. Keep the construct id and the property,` +
        ` or, if losing the resource is intended, allow it by name in ${OVERRIDES_FILE} (reviewed in the PR), e.g.:\n` +
        `  { "allow": [{ "stack": "${example.stack}", "resource": "${example.resource}", "reason": "<why replacing it is safe>" }] }`,
    );
  }
  if (result.refused.length === 0 && result.overrideErrors.length === 0) {
    lines.push(
      `diff-safety: no stateful resource is deleted or replaced against ${ref}${result.allowed.length > 0 ? ` (${result.allowed.length} allowed)` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
