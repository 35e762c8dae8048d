import { EMRClient } from '@aws-sdk/client-emr';
import { GlueClient } from '@aws-sdk/client-glue';

/** The service clients the ops commands use. */
export interface OpsClients {
  readonly glue: GlueClient;
  readonly emr: EMRClient;
}

/**
 * Clients for `region` with the default credential chain (environment, shared config/SSO profile,
 * container and instance roles). The endpoint comes from the SDK's own configuration, which honours
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_GLUE / AWS_ENDPOINT_URL_EMR (e.g. a local emulator).
 * The SDK's retries are off (`maxAttempts: 1`): `withRetry` is the one retry policy (see retry.ts).
 */
export function createOpsClients(region: string): OpsClients {
  const common = { region, maxAttempts: 1 };
  return { glue: new GlueClient(common), emr: new EMRClient(common) };
}

export function destroyOpsClients(clients: OpsClients): void {
  clients.glue.destroy();
  clients.emr.destroy();
}
