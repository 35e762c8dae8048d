/**
 * The plan of an environment: which stacks it gets, on which cloud, holding which concern (and
 * domain or shard), and which stacks each deploys after and why, in deploy order
 * (`environment-plan.ts`). Both apps build exactly this plan (`build-plan.ts`); `npm run validate` and
 * `platform list` print it.
 *
 * May import: lib/definition, lib/naming, lib/limits.
 */
export * from './environment-plan';
export * from './pipeline-stacks';
export * from './definition-summary';
export * from './build-plan';
export * from './delivery-plan';
