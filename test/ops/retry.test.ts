import { GetJobRunCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import {
  backoffDelay,
  CallAbortedError,
  isNotConnected,
  isRetryable,
  jobRunStatus,
  noAnswer,
  RetriesExhaustedError,
  startJobRun,
  systemClock,
  withRetry,
} from '../../ops';
import { awsError, connectionRefused, FakeClock } from './harness';

const glueMock = mockClient(GlueClient);
const glue = new GlueClient({ region: 'eu-west-1' });

beforeEach(() => glueMock.reset());

describe('retries of AWS calls', () => {
  test('a throttled read is retried with growing, jittered backoff until it succeeds', async () => {
    const clock = new FakeClock();
    glueMock
      .on(GetJobRunCommand)
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'))
      .rejectsOnce(awsError('InternalServiceException', 'Internal error', 500))
      .resolves({ JobRun: { Id: 'jr_1', JobRunState: 'RUNNING' } });

    const status = await jobRunStatus(glue, 'acme-dev-ingest-orders', 'jr_1', { clock, random: () => 0.5, baseDelayMs: 100 });

    expect(status.state).toBe('RUNNING');
    expect(glueMock.commandCalls(GetJobRunCommand)).toHaveLength(4);
    // Full jitter: half (random 0.5) of 100, 200, 400 ms.
    expect(clock.sleeps).toEqual([50, 100, 200]);
  });

  test('the backoff is random within a cap that doubles and is bounded', () => {
    expect(backoffDelay(1, { baseDelayMs: 250, random: () => 0.999 })).toBe(249);
    expect(backoffDelay(3, { baseDelayMs: 250, random: () => 0.999 })).toBe(999);
    expect(backoffDelay(20, { baseDelayMs: 250, maxDelayMs: 20_000, random: () => 0.999 })).toBe(19_980);
    expect(backoffDelay(5, { random: () => 0 })).toBe(0);
  });

  test('fails with the last error after maxAttempts', async () => {
    const clock = new FakeClock();
    glueMock.on(GetJobRunCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(jobRunStatus(glue, 'job', 'jr_1', { clock, maxAttempts: 3 })).rejects.toThrow('Rate exceeded');
    expect(glueMock.commandCalls(GetJobRunCommand)).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  test('does not retry an error that another attempt cannot fix', async () => {
    glueMock.on(GetJobRunCommand).rejects(awsError('EntityNotFoundException', 'Job not found'));
    await expect(jobRunStatus(glue, 'job', 'jr_1', { clock: new FakeClock() })).rejects.toThrow('Job not found');
    expect(glueMock.commandCalls(GetJobRunCommand)).toHaveLength(1);
  });

  test('StartJobRun is retried when throttled, since the run was certainly not started', async () => {
    glueMock.on(StartJobRunCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({ JobRunId: 'jr_2' });
    const run = await startJobRun(glue, 'acme-dev-ingest-orders', { clock: new FakeClock() });
    expect(run).toMatchObject({ id: 'jr_2', state: 'STARTING' });
    expect(glueMock.commandCalls(StartJobRunCommand)).toHaveLength(2);
  });

  test('StartJobRun is not retried after a server error, which may have started a run', async () => {
    glueMock.on(StartJobRunCommand).rejects(awsError('InternalServiceException', 'Internal error', 500));
    await expect(startJobRun(glue, 'acme-dev-ingest-orders', { clock: new FakeClock() })).rejects.toThrow('Internal error');
    expect(glueMock.commandCalls(StartJobRunCommand)).toHaveLength(1);
  });

  test('classifies errors by what another attempt can fix', () => {
    expect(isRetryable(awsError('TooManyRequestsException', 'slow down', 429), 'start')).toBe(true);
    expect(isRetryable(connectionRefused(), 'start')).toBe(true);
    expect(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'read')).toBe(true);
    expect(isRetryable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'start')).toBe(false);
    expect(isRetryable(awsError('ServiceUnavailable', 'unavailable', 503), 'read')).toBe(true);
    expect(isRetryable(awsError('AccessDeniedException', 'denied', 403), 'read')).toBe(false);
  });

  test('withRetry reports each retry', async () => {
    const seen: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 3) throw awsError('ThrottlingException', 'Rate exceeded');
        return 'done';
      },
      'read',
      { clock: new FakeClock(), onRetry: (_error, attempt) => seen.push(attempt) },
    );
    expect(result).toBe('done');
    expect(seen).toEqual([1, 2]);
  });

  test('gives up with a RetriesExhaustedError naming the operation, the attempts and the last error', async () => {
    glueMock.on(GetJobRunCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const failure = await jobRunStatus(glue, 'job', 'jr_1', { clock: new FakeClock(), maxAttempts: 2 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RetriesExhaustedError);
    expect(failure).toMatchObject({
      call: { service: 'Glue', operation: 'GetJobRun' },
      attempts: 2,
      message: 'Glue GetJobRun failed on all 2 attempts: ThrottlingException: Rate exceeded',
    });
  });

  test('an abort ends a call that never answers, and no other attempt is made', async () => {
    const abort = new AbortController();
    let calls = 0;
    let received: AbortSignal | undefined;
    setTimeout(() => abort.abort(new Error('--timeout expired')), 50);
    const failure = await withRetry(
      (signal) => {
        calls++;
        received = signal;
        return new Promise<never>(() => undefined);
      },
      'read',
      { clock: systemClock, signal: abort.signal },
      { service: 'EMR', operation: 'DescribeStep' },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CallAbortedError);
    expect(failure).toMatchObject({ call: { service: 'EMR', operation: 'DescribeStep' }, inFlight: true });
    expect((failure as CallAbortedError).waitedMs).toBeGreaterThanOrEqual(40);
    expect(received).toBe(abort.signal);
    expect(calls).toBe(1);
  });

  test('an abort during a backoff makes no further attempt', async () => {
    const abort = new AbortController();
    let calls = 0;
    const failure = await withRetry(
      async () => {
        calls++;
        abort.abort();
        throw awsError('ThrottlingException', 'Rate exceeded');
      },
      'read',
      { clock: new FakeClock(), signal: abort.signal },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CallAbortedError);
    expect(calls).toBe(1);
  });

  test('classifies the HTTP handler timeouts: no connection (never sent, a start may retry) or no answer', () => {
    const connection = Object.assign(
      new Error('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.'),
      { name: 'TimeoutError' },
    );
    const request = Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    expect(noAnswer(connection)).toEqual({ timeout: 'connection', ms: 5000 });
    expect(noAnswer(request)).toEqual({ timeout: 'request', ms: 30000 });
    expect(noAnswer(reset)).toBeUndefined();
    expect(isNotConnected(connection)).toBe(true);
    expect(isRetryable(connection, 'start')).toBe(true);
    expect(isRetryable(request, 'start')).toBe(false);
    expect(isRetryable(request, 'read')).toBe(true);
  });
});
