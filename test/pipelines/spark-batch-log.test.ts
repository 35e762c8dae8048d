import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPARK_BATCH_LOG_COLUMNS, SPARK_BATCH_LOG_TABLE, sparkBatchLog } from '../../lib/pipelines/spark-batch-log';

/** The Spark application that writes the batch log; `platform status` reads what it declares. */
const APPLICATION = join(__dirname, '..', '..', 'constructs', 'aws', 'jobs', 'spark', 'silver_gold.py');

describe('the Spark batch log', () => {
  const source = readFileSync(APPLICATION, 'utf8');

  test('is the table the Spark application writes, in the silver database of the environment', () => {
    expect(source).toMatch(new RegExp(`^BATCH_LOG_TABLE = "${SPARK_BATCH_LOG_TABLE}"$`, 'm'));
    expect(sparkBatchLog({ prefix: 'acme', environment: 'prod' })).toEqual({ database: 'acme_prod_silver', table: '_batches' });
  });

  test("has the application's columns, in its order", () => {
    const declaration = /^BATCH_LOG_COLUMNS = \[\n((?:\s+\("\w+", "[\w()]+"\),\n)+)\]$/m.exec(source);
    if (!declaration) throw new Error(`no BATCH_LOG_COLUMNS = [("name", "type"), ...] list in ${APPLICATION}`);
    const columns = [...declaration[1].matchAll(/\("(\w+)", "[\w()]+"\)/g)].map((match) => match[1]);
    expect(columns).toEqual([...SPARK_BATCH_LOG_COLUMNS]);
  });
});
