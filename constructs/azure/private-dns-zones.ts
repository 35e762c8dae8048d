/**
 * The private DNS zones of the Azure services the platform reaches over private endpoints, keyed by
 * the endpoint's sub-resource (group id). A private endpoint registers its address in the zone of its
 * sub-resource, so clients inside the network resolve the service's public name to a private address.
 */
export const PRIVATE_DNS_ZONES = {
  blob: 'privatelink.blob.core.windows.net',
  dfs: 'privatelink.dfs.core.windows.net',
  vault: 'privatelink.vaultcore.azure.net',
  sqlServer: 'privatelink.database.windows.net',
  synapseSql: 'privatelink.sql.azuresynapse.net',
  synapseDev: 'privatelink.dev.azuresynapse.net',
  namespace: 'privatelink.servicebus.windows.net',
  dataFactory: 'privatelink.datafactory.azure.net',
} as const;

/** A sub-resource that has a private DNS zone. */
export type PrivateDnsZoneKey = keyof typeof PRIVATE_DNS_ZONES;

/** The zones every environment network links, in a stable order. */
export const PRIVATE_DNS_ZONE_KEYS = Object.keys(PRIVATE_DNS_ZONES) as PrivateDnsZoneKey[];
