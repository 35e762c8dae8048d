/**
 * A local stand-in for a REST API (Azure Resource Manager's Data Factory operations, the Databricks
 * REST API) on 127.0.0.1 and a random port: each request is matched against the routes in order (method
 * and a path pattern), the first match answers with a status and a JSON body. Unmatched requests get
 * a 404 with an ARM-style error body. Every request is recorded with its body and Authorization header.
 * A reply with `hang` is never sent: the request waits until the client gives up (or the server closes).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface FakeRequest {
  readonly method: string;
  /** Path and query, e.g. /api/2.1/jobs/runs/get?run_id=7 */
  readonly url: string;
  readonly body: any;
  readonly authorization?: string;
}

/** The answer: a status and a JSON body; or none at all (`hang`), as an endpoint that accepts connections but never answers. */
export interface FakeReply {
  readonly status?: number;
  readonly body?: unknown;
  readonly hang?: boolean;
}

export type FakeRoute = readonly [method: string, path: RegExp, answer: (request: FakeRequest, call: number) => FakeReply];

export interface FakeRestServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: FakeRequest[];
  /** Requests whose method and path match. */
  matching(method: string, path: RegExp): FakeRequest[];
  close(): Promise<void>;
}

export function fakeRest(routes: readonly FakeRoute[]): Promise<FakeRestServer> {
  const requests: FakeRequest[] = [];
  const counts = new Map<FakeRoute, number>();
  const sockets = new Set<Socket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const recorded: FakeRequest = {
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        body: text ? JSON.parse(text) : undefined,
        authorization: request.headers.authorization,
      };
      requests.push(recorded);
      const path = recorded.url.split('?')[0];
      const route = routes.find(([method, pattern]) => method === recorded.method && pattern.test(path));
      let reply: FakeReply = { status: 404, body: { error: { code: 'ResourceNotFound', message: `no route for ${recorded.method} ${path}` } } };
      if (route) {
        const call = (counts.get(route) ?? 0) + 1;
        counts.set(route, call);
        reply = route[2](recorded, call);
      }
      if (reply.hang) return;
      response.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body ?? {}));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        matching: (method, path) => requests.filter((request) => request.method === method && path.test(request.url.split('?')[0])),
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A 429 with the body each API sends when it throttles. */
export const THROTTLED: FakeReply = {
  status: 429,
  body: { error: { code: 'TooManyRequests', message: 'Rate limit exceeded' }, error_code: 'REQUEST_LIMIT_EXCEEDED' },
};
