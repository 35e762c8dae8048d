import { flattenCfnReference } from '../../../constructs/aws/flatten-cfn-reference';

describe('flattenCfnReference', () => {
  test('renders strings, references and intrinsic functions as cdk-nag names them in finding ids', () => {
    expect(flattenCfnReference('arn:aws:s3:::bucket/*')).toBe('arn:aws:s3:::bucket/*');
    expect(flattenCfnReference('arn:${AWS::Partition}:logs:*')).toBe('arn:<AWS::Partition>:logs:*');
    expect(flattenCfnReference({ Ref: 'Bucket' })).toBe('<Bucket>');
    expect(flattenCfnReference({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe('<Bucket.Arn>');
    expect(flattenCfnReference({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] })).toBe('<Bucket.Arn>/*');
    expect(flattenCfnReference({ 'Fn::Sub': 'arn:${AWS::Partition}:glue:*' })).toBe('arn:<AWS::Partition>:glue:*');
    expect(flattenCfnReference({ 'Fn::ImportValue': 'acme-dev-storage:BucketArn' })).toBe('acme-dev-storage:BucketArn');
    expect(flattenCfnReference(undefined)).toBe('');
    expect(flattenCfnReference({ 'Fn::Select': [0, ['a']] })).toBe('{"Fn::Select":[0,["a"]]}');
  });

  test('renders the ids cdk-nag 3.0.2 gives the same values (read from its own helper once, kept here as literals)', () => {
    const expected: Array<[unknown, string]> = [
      ['a/${b}/*', 'a/<b>/*'],
      [{ Ref: 'X' }, '<X>'],
      [{ 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, { 'Fn::GetAtt': ['R', 'Arn'] }, '*']] }, 'arn:<AWS::Partition>:<R.Arn>:*'],
      [{ 'Fn::Sub': ['x', {}] }, '["x",{}]'],
      [{ 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-x' } }, '<AWS::StackName>-x'],
      [{ Other: 1 }, '{"Other":1}'],
      [undefined, ''],
    ];
    for (const [value, id] of expected) expect(flattenCfnReference(value)).toBe(id);
  });
});
