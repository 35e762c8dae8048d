/**
 * The access plan: who owns and reads each dataset's table per layer, rendered for each cloud —
 * Lake Formation tags and grants (`access-plan.ts`, `lake-formation-tags.ts`) and Unity Catalog grants
 * per securable and per table (`unity-catalog-grants.ts`) — and the access matrix both clouds must
 * reproduce (`access-matrix.ts`).
 *
 * May import: lib/definition, lib/lake, lib/naming.
 */
export * from './access-plan';
export * from './access-matrix';
export * from './lake-formation-tags';
export * from './unity-catalog-grants';
export * from './api-access';
