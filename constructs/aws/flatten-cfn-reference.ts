/**
 * A CloudFormation value flattened to the string cdk-nag matches finding ids against: `Fn::Join` joined,
 * `Fn::Sub` and `Fn::ImportValue` unwrapped, `Ref` as `<Name>`, `Fn::GetAtt` as `<Name.Attribute>`,
 * `${...}` as `<...>`, anything else as its JSON. The same rendering as cdk-nag 3's own (internal,
 * not exported) `flattenCfnReference`, so an acknowledgement id matches the finding's.
 */
export function flattenCfnReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (node['Fn::Join']) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flattenCfnReference).join(delimiter);
    }
    if (node['Fn::Sub']) return flattenCfnReference(node['Fn::Sub']);
    if (node['Fn::GetAtt']) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
    }
    if (node['Fn::ImportValue']) return flattenCfnReference(node['Fn::ImportValue']);
    if (node.Ref) return `<${flattenCfnReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
}
