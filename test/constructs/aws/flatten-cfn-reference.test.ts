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

  test("agrees with cdk-nag's own rendering", () => {
    // cdk-nag's internal helper, read here only to prove the local copy renders the same ids.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nag = require('cdk-nag/lib/utils/flatten-cfn-reference') as { flattenCfnReference: (value: unknown) => string };
    const samples: unknown[] = [
      'a/${b}/*',
      { Ref: 'X' },
      { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, { 'Fn::GetAtt': ['R', 'Arn'] }, '*']] },
      { 'Fn::Sub': ['x', {}] },
      { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-x' } },
      { Other: 1 },
      undefined,
    ];
    for (const sample of samples) expect(flattenCfnReference(sample)).toBe(nag.flattenCfnReference(sample));
  });
});
