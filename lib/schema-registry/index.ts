/**
 * The streams' schema registry as kept in the repository (`schema/streams/<domain>/<dataset>/v<N>.avsc`):
 * Avro parsing, Avro's schema resolution rules as a compatibility checker, and the checked history of
 * each stream that the loader attaches to the definition and the clouds' registries deploy.
 *
 * May import: lib/definition, lib/lake.
 */
export * from './avro-schema';
export * from './avro-compatibility';
export * from './stream-schemas';
