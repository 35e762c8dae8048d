'use strict';
/**
 * CloudFormation custom resource (CDK's response wrapper reports the result): runs a DMS Serverless
 * replication for as long as the stack holds it. Create starts it (full load, then ongoing changes); an
 * update resumes it where it stopped (or starts a replacement replication from scratch); delete stops
 * it, so that CloudFormation can then delete the replication configuration. A replication that is
 * already in the wanted state is left as it is (InvalidResourceStateFault), so a retried event is harmless.
 */
const { DatabaseMigrationServiceClient, StartReplicationCommand, StopReplicationCommand } = require('@aws-sdk/client-database-migration-service');

const ALREADY = ['InvalidResourceStateFault'];
const GONE = ['InvalidResourceStateFault', 'ResourceNotFoundFault'];

async function ignoring(errors, call) {
  try {
    await call();
  } catch (error) {
    if (!errors.includes(error.name)) throw error;
    console.log(`left as it is: ${error.name}: ${error.message}`);
  }
}

exports.handler = async (event) => {
  const arn = event.ResourceProperties.ReplicationConfigArn;
  const dms = new DatabaseMigrationServiceClient({});
  if (event.RequestType === 'Delete') {
    await ignoring(GONE, () => dms.send(new StopReplicationCommand({ ReplicationConfigArn: arn })));
  } else {
    const replaced = event.RequestType === 'Update' && event.OldResourceProperties.ReplicationConfigArn !== arn;
    const type = event.RequestType === 'Create' || replaced ? 'start-replication' : 'resume-processing';
    await ignoring(ALREADY, () => dms.send(new StartReplicationCommand({ ReplicationConfigArn: arn, StartReplicationType: type })));
  }
  return { PhysicalResourceId: arn };
};
