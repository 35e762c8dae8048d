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

/** What the CLI finds before it starts anything in dev: the cluster and every Glue job. */
export const DEPLOYED_DEV: Record<string, FakeHandler> = {
  ListClusters: () => ({ Clusters: [{ Id: 'j-FAKE', Name: 'acme-dev-spark', Status: { State: 'WAITING' } }] }),
  BatchGetJobs: () => ({ Jobs: [], JobsNotFound: [] }),
  StartJobRun: (input) => ({ JobRunId: `jr_${String(input.JobName).replace('acme-dev-ingest-', '')}` }),
};
