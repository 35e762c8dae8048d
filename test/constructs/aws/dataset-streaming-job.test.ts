import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, SecurityConfiguration } from 'aws-cdk-lib/aws-glue';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DatasetStreamingJob, type DatasetStreamingJobProps, GLUE_INGEST_SCRIPT_PATH, GLUE_STREAM_SCRIPT_PATH } from '../../../constructs/aws';
import { testApp } from '../../fixtures/cdk-app';

function job(props: Partial<DatasetStreamingJobProps> = {}) {
  const stack = new Stack(testApp(), 'S');
  new DatasetStreamingJob(stack, 'WebEvents', {
    jobName: 'acme-dev-stream-web_events',
    description: 'web events',
    script: Code.fromAsset(GLUE_STREAM_SCRIPT_PATH),
    pythonModules: [Code.fromAsset(GLUE_INGEST_SCRIPT_PATH)],
    role: new Role(stack, 'Role', { assumedBy: new ServicePrincipal('glue.amazonaws.com') }),
    scriptArguments: { '--topic': 'web.clickstream.v1' },
    securityConfiguration: SecurityConfiguration.fromSecurityConfigurationName(stack, 'Security', 'acme-dev-glue'),
    logGroup: new LogGroup(stack, 'Logs'),
    connectionName: 'acme-dev-streaming-network',
    ...props,
  });
  return Template.fromStack(stack);
}

describe('DatasetStreamingJob', () => {
  test('is a pinned Glue 4.0 streaming job on quarter-DPU workers, without bookmarks, kept running by a trigger', () => {
    const template = job();
    template.hasResourceProperties('AWS::Glue::Job', {
      Command: { Name: 'gluestreaming' },
      GlueVersion: '4.0',
      WorkerType: 'G.025X',
      NumberOfWorkers: 2,
      SecurityConfiguration: 'acme-dev-glue',
      DefaultArguments: Match.objectLike({
        '--topic': 'web.clickstream.v1',
        '--job-bookmark-option': 'job-bookmark-disable',
        '--enable-continuous-cloudwatch-log': 'true',
        '--extra-py-files': Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::Glue::Trigger', {
      Name: 'acme-dev-stream-web_events-keep-running',
      Type: 'SCHEDULED',
      Schedule: 'cron(0/15 * * * ? *)',
      StartOnCreation: true,
    });
  });

  test('fails when the script arguments set what the job sets itself', () => {
    expect(() => job({ scriptArguments: { '--enable-metrics': 'false' } })).toThrow(
      'scriptArguments: --enable-metrics are set by DatasetStreamingJob itself; remove them',
    );
  });

  test('fails when the keep-running interval is out of range', () => {
    expect(() => job({ keepRunningEveryMinutes: 2 })).toThrow('keepRunningEveryMinutes (2) must be a whole number of minutes from 5 to 59');
  });
});
