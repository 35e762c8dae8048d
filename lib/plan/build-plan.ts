import type { PlannedStack } from './environment-plan';

/** The stacks built so far for a plan, looked up by what the plan says they hold. */
export class BuiltStacks<S> {
  private readonly byName = new Map<string, S>();

  constructor(private readonly planned: readonly PlannedStack[]) {}

  /** Records the stack built for `planned`. */
  add(planned: PlannedStack, stack: S): void {
    this.byName.set(planned.name, stack);
  }

  /** The stack built under `name`. */
  named(name: string): S {
    const stack = this.byName.get(name);
    if (stack === undefined) throw new Error(`stack ${name} is not built yet; built: ${[...this.byName.keys()].join(', ') || '(none)'}`);
    return stack;
  }

  /**
   * The one built stack of `concern` (of `domain`, when given; else the environment-wide one), as an
   * instance of `type`: how a stack finds the stacks whose resources it uses.
   */
  of<T extends S>(type: abstract new (...args: never[]) => T, concern: PlannedStack['concern'], domain?: string): T {
    const planned = this.planned.find(
      (stack) => stack.concern === concern && stack.domain === domain && stack.shard === undefined && this.byName.has(stack.name),
    );
    const stack = planned && this.byName.get(planned.name);
    if (!(stack instanceof type)) throw new Error(`no built ${type.name} for concern "${concern}"${domain ? ` of domain "${domain}"` : ''}`);
    return stack;
  }

  /** Every built stack, in plan order. */
  all(): S[] {
    return this.planned.flatMap((stack) => (this.byName.has(stack.name) ? [this.byName.get(stack.name) as S] : []));
  }
}

export interface BuildPlanOptions {
  /** Build only these stacks and the stacks they depend on (tests). @default every planned stack */
  readonly only?: (stack: PlannedStack) => boolean;
}

/**
 * Builds the stacks of a plan in its deploy order with `create`, then declares each planned dependency
 * with `depend` (reason included), so both apps realise the one plan the same way.
 */
export function buildPlan<S>(
  planned: readonly PlannedStack[],
  create: (stack: PlannedStack, built: BuiltStacks<S>) => S,
  depend: (stack: S, dependency: S, reason: string) => void,
  options: BuildPlanOptions = {},
): BuiltStacks<S> {
  const wanted = new Set<string>();
  const want = (stack: PlannedStack) => {
    if (wanted.has(stack.name)) return;
    wanted.add(stack.name);
    for (const dependency of stack.dependsOn) want(planned.find((candidate) => candidate.name === dependency.stack) as PlannedStack);
  };
  for (const stack of planned) if (!options.only || options.only(stack)) want(stack);
  const selected = planned.filter((stack) => wanted.has(stack.name));
  const built = new BuiltStacks<S>(selected);
  for (const stack of selected) built.add(stack, create(stack, built));
  for (const stack of selected) for (const dependency of stack.dependsOn) depend(built.named(stack.name), built.named(dependency.stack), dependency.reason);
  return built;
}
