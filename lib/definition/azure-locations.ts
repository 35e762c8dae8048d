/**
 * Azure public-cloud locations, as their API names (`location:` in the definition, `location` in
 * azurerm). Source: `az account list-locations --query "[?metadata.regionType=='Physical'].name"` on the
 * AzureCloud environment, written offline on 2026-12-04 from that list as known then (regions opened
 * through 2025 included: austriaeast, belgiumcentral, chilecentral, denmarkeast, indonesiacentral,
 * malaysiawest, newzealandnorth). Logical locations
 * (`global`, geographies such as `europe`), canary (`*euap`), staging (`*stg`, `*stage`), sovereign
 * clouds (China, US Government) and restricted-access regions are left out. Add a region here when
 * Azure opens one (the list is not read from the network).
 */
export const AZURE_LOCATIONS = [
  // Americas
  'brazilsouth',
  'brazilsoutheast',
  'canadacentral',
  'canadaeast',
  'centralus',
  'chilecentral',
  'eastus',
  'eastus2',
  'mexicocentral',
  'northcentralus',
  'southcentralus',
  'westcentralus',
  'westus',
  'westus2',
  'westus3',
  // Europe
  'austriaeast',
  'belgiumcentral',
  'denmarkeast',
  'francecentral',
  'francesouth',
  'germanynorth',
  'germanywestcentral',
  'italynorth',
  'northeurope',
  'norwayeast',
  'norwaywest',
  'polandcentral',
  'spaincentral',
  'swedencentral',
  'swedensouth',
  'switzerlandnorth',
  'switzerlandwest',
  'uksouth',
  'ukwest',
  'westeurope',
  // Asia Pacific
  'australiacentral',
  'australiacentral2',
  'australiaeast',
  'australiasoutheast',
  'centralindia',
  'eastasia',
  'indonesiacentral',
  'japaneast',
  'japanwest',
  'jioindiacentral',
  'jioindiawest',
  'koreacentral',
  'koreasouth',
  'malaysiawest',
  'newzealandnorth',
  'southeastasia',
  'southindia',
  'westindia',
  // Middle East and Africa
  'israelcentral',
  'qatarcentral',
  'southafricanorth',
  'southafricawest',
  'uaecentral',
  'uaenorth',
] as const;
export type AzureLocation = (typeof AZURE_LOCATIONS)[number];
