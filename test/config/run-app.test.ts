import { ConfigError } from '../../lib/config';
import { runApp } from '../../lib/config/run-app';

describe('runApp', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.exitCode = undefined;
  });
  afterEach(() => {
    stderr.mockRestore();
    process.exitCode = undefined;
  });

  test('runs main and leaves the exit code alone when it succeeds', async () => {
    const main = jest.fn();
    await runApp(main);
    expect(main).toHaveBeenCalledTimes(1);
    expect(process.exitCode).toBeUndefined();
  });

  test('prints a ConfigError message without a stack trace and exits 1', async () => {
    await runApp(() => {
      throw new ConfigError('platform.yaml', [{ path: ['environments', 'dev', 'azure'], message: 'is required because clouds includes "azure"' }]);
    });
    expect(process.exitCode).toBe(1);
    const printed = stderr.mock.calls.map(([text]) => String(text)).join('');
    expect(printed).toBe('platform.yaml: 1 problem in the platform definition:\n  - environments.dev.azure: is required because clouds includes "azure"\n');
    expect(printed).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test('handles an async main the same way', async () => {
    await runApp(async () => {
      throw new ConfigError('x.yaml', [{ path: [], message: 'cannot read the definition file: no such file' }]);
    });
    expect(process.exitCode).toBe(1);
  });

  test('prints any other error as one line with how to see its stack trace, and exits 1', async () => {
    await runApp(() => {
      throw new Error('StreamingNamespace: partitions (64) must be at most 32');
    });
    expect(process.exitCode).toBe(1);
    expect(stderr.mock.calls.map(([text]) => String(text)).join('')).toBe(
      'error: StreamingNamespace: partitions (64) must be at most 32\n(set PLATFORM_DEBUG=1 to see the stack trace)\n',
    );
  });

  test('rethrows other errors, with their stack, when PLATFORM_DEBUG=1', async () => {
    process.env.PLATFORM_DEBUG = '1';
    try {
      await expect(
        runApp(() => {
          throw new TypeError('a bug');
        }),
      ).rejects.toThrow('a bug');
    } finally {
      delete process.env.PLATFORM_DEBUG;
    }
    expect(stderr).not.toHaveBeenCalled();
  });
});
