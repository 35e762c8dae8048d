import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GLUE_INGEST_SCRIPT_PATH } from '../../../../constructs/aws';

/** The generic ingestion script is real Python: it compiles, and its pure parts pass their unit tests. */
describe('glue_ingest.py', () => {
  test('compiles', () => {
    const result = spawnSync('python3', ['-m', 'py_compile', GLUE_INGEST_SCRIPT_PATH], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('passes its Python unit tests (arguments, schema evolution, landing globs, API pagination, partitions)', () => {
    const result = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', __dirname, '-p', 'test_glue_ingest.py'], {
      encoding: 'utf8',
      cwd: join(__dirname, '..', '..', '..', '..'),
    });
    expect(result.stderr).toMatch(/Ran \d+ tests[\s\S]*\nOK\s*$/);
    expect(result.status).toBe(0);
  });
});
