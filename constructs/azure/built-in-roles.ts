/**
 * Azure built-in roles by name, with their role definition ids: a role assignment names a role, and a
 * condition on role assignments (ABAC) compares ids, which are the same in every tenant and subscription.
 * From the Azure built-in roles reference.
 */
export const AZURE_BUILT_IN_ROLES = {
  Reader: 'acdd72a7-3374-422b-8b1b-8fde5f24d0d1',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  'Role Based Access Control Administrator': 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'Key Vault Crypto Officer': '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
  'Key Vault Crypto Service Encryption User': 'e147488a-f6f5-4113-8e2d-b22465e65bf6',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Azure Event Hubs Data Receiver': 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
} as const;

export type AzureBuiltInRole = keyof typeof AZURE_BUILT_IN_ROLES;

/**
 * The roles the platform's Azure and Databricks stacks assign (to the managed identities of Data Factory,
 * Synapse, SQL, the Databricks access connector and workspace, Event Hubs readers, and to the deploying
 * principal on the Key Vault). A deploy identity may assign these and no other
 * (`roleAssignmentConditionLimitedTo`); a test checks that every synthesized assignment is in the list.
 */
export const ROLES_ASSIGNED_BY_THE_STACKS: readonly AzureBuiltInRole[] = [
  'Contributor',
  'Storage Blob Data Contributor',
  'Storage Blob Data Reader',
  'Key Vault Crypto Officer',
  'Key Vault Crypto Service Encryption User',
  'Key Vault Secrets User',
  'Azure Event Hubs Data Receiver',
];

/**
 * An ABAC condition (version 2.0) for a role that may write and delete role assignments (Role Based
 * Access Control Administrator): only assignments of `roles`, so the holder can grant neither itself nor
 * anyone else a role outside the list (Owner, User Access Administrator, its own administrator role).
 * The principal type is left open: the Key Vault's deployer assignment names whoever deploys (a person
 * deploying by hand, or the pipeline's identity) and so gives no principal type to compare.
 */
export function roleAssignmentConditionLimitedTo(roles: readonly AzureBuiltInRole[]): string {
  const ids = roles.map((role) => AZURE_BUILT_IN_ROLES[role]).join(', ');
  const limited = (source: 'Request' | 'Resource') =>
    `@${source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}}`;
  return [
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (${limited('Request')}))`,
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (${limited('Resource')}))`,
  ].join(' AND ');
}
