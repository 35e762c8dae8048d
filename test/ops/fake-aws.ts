/**
 * Local endpoints on 127.0.0.1 for the "never hangs" tests of the ops CLI: one that accepts TCP
 * connections and never answers (a firewall that drops, a stalled proxy or VPC endpoint), and one that
 * imitates Glue and EMR (JSON 1.1 over HTTP, the operation in X-Amz-Target) for the calls a test
 * scripts, and never answers the others, so that it can stop answering in the middle of a run.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';

export interface LocalEndpoint {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Operations received, in order, e.g. ['ListClusters', 'BatchGetJobs', 'StartJobRun', 'GetJobRun']. */
  readonly calls: string[];
  /** Resolves when the first connection is accepted. */
  readonly connected: Promise<void>;
  /** Destroys every open connection and stops listening. */
  close(): Promise<void>;
}

function listen(server: Server, calls: string[]): Promise<LocalEndpoint> {
  const sockets = new Set<Socket>();
  let onConnection: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnection = resolve));
  server.on('connection', (socket: Socket) => {
    onConnection();
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        calls,
        connected,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Accepts connections, reads whatever comes, never writes a byte. */
export function blackHole(): Promise<LocalEndpoint> {
  const calls: string[] = [];
  const server = createTcpServer((socket) => {
    socket.on('data', () => undefined);
  });
  return listen(server, calls);
}

/** The answer to one operation: the JSON output, or 'hang' to never answer. */
export type FakeAnswer = Record<string, unknown> | 'hang';
export type FakeHandler = (input: Record<string, unknown>, call: number) => FakeAnswer;

/**
 * Answers the operations of `handlers` (keyed by operation name, e.g. GetJobRun); every other operation,
 * and any handler that returns 'hang', gets no answer at all (the connection stays open).
 */
export function fakeAws(handlers: Record<string, FakeHandler>): Promise<LocalEndpoint> {
  const calls: string[] = [];
  const counts = new Map<string, number>();
  const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const operation =
        String(request.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      calls.push(operation);
      const count = (counts.get(operation) ?? 0) + 1;
      counts.set(operation, count);
      const handler = handlers[operation];
      const answer = handler ? handler(body ? JSON.parse(body) : {}, count) : 'hang';
      if (answer === 'hang') return;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answer));
    });
  });
  return listen(server, calls);
}

/** The ARN of the execution `platform run` starts in dev, named `name`. */
export const devExecutionArn = (name: string) => `arn:aws:states:eu-west-1:111111111111:execution:acme-dev-pipeline-sales:${name}`;

/** History events (JSON as Step Functions sends them) of an execution that started the Glue run of orders, then, with `step`, the Spark step. */
export function devHistory(step = false): Record<string, unknown> {
  const task = (first: number, resourceType: string, resource: string, parameters: unknown, output: unknown) => [
    {
      id: first,
      previousEventId: first - 1,
      timestamp: 0,
      type: 'TaskScheduled',
      taskScheduledEventDetails: { resourceType, resource, region: 'eu-west-1', parameters: JSON.stringify(parameters) },
    },
    { id: first + 1, previousEventId: first, timestamp: 0, type: 'TaskStarted', taskStartedEventDetails: { resourceType, resource } },
    {
      id: first + 2,
      previousEventId: first + 1,
      timestamp: 0,
      type: 'TaskSubmitted',
      taskSubmittedEventDetails: { resourceType, resource, output: JSON.stringify(output) },
    },
  ];
  return {
    events: [
      { id: 1, timestamp: 0, type: 'ExecutionStarted' },
      { id: 2, previousEventId: 1, timestamp: 0, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Run ingestion job' } },
      ...task(3, 'glue', 'startJobRun.sync', { JobName: 'acme-dev-ingest-orders' }, { JobRunId: 'jr_orders' }),
      ...(step
        ? [
            { id: 6, previousEventId: 5, timestamp: 0, type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Run Spark step' } },
            ...task(7, 'elasticmapreduce', 'addStep.sync', { ClusterId: 'j-FAKE', Step: { Name: 'acme-dev-silver-gold-sales' } }, { StepId: 's-FAKE' }),
          ]
        : []),
    ],
  };
}

/** What the CLI finds and starts in dev: no execution in progress, a new execution that is RUNNING and has started the Glue run of orders. */
export const DEPLOYED_DEV: Record<string, FakeHandler> = {
  ListExecutions: () => ({ executions: [] }),
  StartExecution: (input) => ({ executionArn: devExecutionArn(String(input.name)), startDate: Date.now() / 1000 }),
  DescribeExecution: (input) => ({
    executionArn: input.executionArn,
    name: String(input.executionArn).split(':').pop(),
    status: 'RUNNING',
    startDate: Date.now() / 1000,
  }),
  GetExecutionHistory: () => devHistory(),
};
