import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PIPELINE_SOURCE_DIRECTORY } from '../../../../constructs/databricks/workspace-source-files';

/** The Delta Live Tables and table grants code is real Python: it compiles, and its pure part passes its unit tests. */
describe('stream pipeline code', () => {
  test.each(['stream_medallion.py', 'stream_rules.py', 'table_grants.py', 'apply_table_grants.py'])('%s compiles', (file) => {
    const result = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])', join(PIPELINE_SOURCE_DIRECTORY, file)], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('passes its Python unit tests (quality predicates, schemas, Kafka OAuth options)', () => {
    const result = spawnSync('python3', ['-B', '-m', 'unittest', 'discover', '-s', __dirname, '-p', 'test_stream_rules.py'], {
      encoding: 'utf8',
      cwd: join(__dirname, '..', '..', '..', '..'),
    });
    expect(result.stderr).toMatch(/Ran \d+ tests[\s\S]*\nOK\s*$/);
    expect(result.status).toBe(0);
  });

  test('table grants pass their Python unit tests (plan checks, revoke beyond the plan, grant what is missing)', () => {
    const result = spawnSync('python3', ['-B', '-m', 'unittest', 'discover', '-s', __dirname, '-p', 'test_table_grants.py'], {
      encoding: 'utf8',
      cwd: join(__dirname, '..', '..', '..', '..'),
    });
    expect(result.stderr).toMatch(/Ran \d+ tests[\s\S]*\nOK\s*$/);
    expect(result.status).toBe(0);
  });
});
