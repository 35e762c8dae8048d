/**
 * The access plan: who owns and reads each dataset's table per layer, rendered for each cloud —
 * Lake Formation tags and grants (`access-plan.ts`, `lake-formation-tags.ts`) and Unity Catalog grants
 * (`unity-catalog-grants.ts`).
 *
 * May import: lib/definition, lib/naming.
 */
export * from './access-plan';
export * from './lake-formation-tags';
export * from './unity-catalog-grants';
