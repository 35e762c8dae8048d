/**
 * The standard tags every resource carries (platform, environment, owner, cost center, data
 * classification), the props and tag check both clouds' tag aspects share.
 *
 * May import: lib/definition.
 */
export * from './standard-tags';
