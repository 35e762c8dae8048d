import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  contractOf,
  type GoldContract,
  readGoldContracts,
  warehouseColumnType,
  warehouseLoaderGrants,
  warehouseLoadPlan,
  warehouseTablePlan,
} from '../../lib/warehouse';
import { dbtModelNames } from '../../lib/config/dbt-models';

const contract = (columns: Array<[string, string, boolean?]>, primaryKey: string[] = []): GoldContract => ({
  model: 'm',
  file: 'models/gold/x/_x__models.yml',
  columns: columns.map(([name, dataType, notNull]) => ({ name, dataType, notNull: notNull ?? false })),
  primaryKey,
});

describe('readGoldContracts', () => {
  const contracts = readGoldContracts();

  test('reads the enforced contract of every gold model of the project', () => {
    expect(contracts.map((c) => c.model)).toEqual(dbtModelNames('gold'));
    const orders = contracts.find((c) => c.model === 'fct_orders')!;
    expect(orders.file).toBe('models/gold/sales/_sales__models.yml');
    expect(orders.columns.slice(0, 2)).toEqual([
      { name: 'order_id', dataType: 'bigint', notNull: true },
      { name: 'customer_id', dataType: 'bigint', notNull: true },
    ]);
    expect(orders.columns.find((column) => column.name === 'order_total')).toEqual({ name: 'order_total', dataType: 'decimal(18,2)', notNull: false });
  });

  test.each(readGoldContracts().map((c) => c.model))('the Azure SQL table of %s matches its snapshot', (model) => {
    expect(
      warehouseTablePlan(
        contracts.find((c) => c.model === model)!,
        'tsql',
      ).createTable,
    ).toMatchSnapshot();
  });

  describe('on a project of its own', () => {
    let project: string;
    beforeEach(() => {
      project = mkdtempSync(join(tmpdir(), 'gold-contracts-'));
      mkdirSync(join(project, 'models', 'gold', 'sales'), { recursive: true });
      writeFileSync(join(project, 'models', 'gold', 'sales', 'fct_a.sql'), 'select 1 as id');
    });
    afterEach(() => rmSync(project, { recursive: true, force: true }));
    const write = (models: unknown[]) => writeFileSync(join(project, 'models', 'gold', 'sales', '_sales__models.yml'), stringify({ version: 2, models }));

    test('fails when a gold model has no contract', () => {
      write([]);
      expect(() => readGoldContracts(project)).toThrow(
        'gold models without a contract in a models/gold/**/_*__models.yml file: fct_a; the warehouse loads every gold model',
      );
    });

    test('fails when a contract is not enforced', () => {
      write([{ name: 'fct_a', columns: [{ name: 'id', data_type: 'int' }] }]);
      expect(() => readGoldContracts(project)).toThrow(
        'gold model fct_a (models/gold/sales/_sales__models.yml) has no enforced contract (config: {contract: {enforced: true}})',
      );
    });

    test('fails when a contract names a model that does not exist', () => {
      write([
        { name: 'fct_a', config: { contract: { enforced: true } }, columns: [{ name: 'id', data_type: 'int' }] },
        { name: 'fct_b', config: { contract: { enforced: true } }, columns: [{ name: 'id', data_type: 'int' }] },
      ]);
      expect(() => readGoldContracts(project)).toThrow('gold contracts of models that do not exist (no .sql file): fct_b');
    });

    test('reads a primary key declared on a column or on the model', () => {
      write([
        {
          name: 'fct_a',
          config: { contract: { enforced: true } },
          constraints: [{ type: 'primary_key', columns: ['id', 'day'] }],
          columns: [
            { name: 'id', data_type: 'int' },
            { name: 'day', data_type: 'date' },
            { name: 'v', data_type: 'string', constraints: [{ type: 'not_null' }] },
          ],
        },
      ]);
      expect(readGoldContracts(project)[0]).toMatchObject({
        primaryKey: ['id', 'day'],
        columns: [
          { name: 'id', notNull: true },
          { name: 'day', notNull: true },
          { name: 'v', notNull: true },
        ],
      });
    });
  });
});

describe('contractOf', () => {
  const file = 'models/gold/x/_x__models.yml';
  const enforced = { contract: { enforced: true } };

  test('fails when a column has no data_type', () => {
    expect(() => contractOf({ name: 'm', config: enforced, columns: [{ name: 'a' }] }, file)).toThrow(
      'gold model m (models/gold/x/_x__models.yml): column "a" has no data_type; an enforced contract types every column',
    );
  });

  test('fails on two primary keys and on a key column that is not in the contract', () => {
    const columns = [{ name: 'a', data_type: 'int', constraints: [{ type: 'primary_key' }] }];
    expect(() => contractOf({ name: 'm', config: enforced, columns, constraints: [{ type: 'primary_key', columns: ['a'] }] }, file)).toThrow(
      'gold model m (models/gold/x/_x__models.yml) declares 2 primary keys; a table has at most one',
    );
    expect(() =>
      contractOf({ name: 'm', config: enforced, columns: [{ name: 'a', data_type: 'int' }], constraints: [{ type: 'primary_key', columns: ['b'] }] }, file),
    ).toThrow('gold model m (models/gold/x/_x__models.yml): primary key column "b" is not a column of the contract; columns: a');
  });
});

describe('warehouseColumnType', () => {
  test.each([
    ['bigint', 'BIGINT', 'bigint'],
    ['long', 'BIGINT', 'bigint'],
    ['int', 'INT', 'integer'],
    ['integer', 'INT', 'integer'],
    ['smallint', 'SMALLINT', 'smallint'],
    ['tinyint', 'SMALLINT', 'smallint'],
    ['boolean', 'BIT', 'boolean'],
    ['string', 'NVARCHAR(MAX)', 'text'],
    ['date', 'DATE', 'date'],
    ['timestamp', 'DATETIME2(6)', 'timestamp(6)'],
    ['timestamp_ntz', 'DATETIME2(6)', 'timestamp(6)'],
    ['decimal(18,2)', 'DECIMAL(18,2)', 'numeric(18,2)'],
    ['decimal', 'DECIMAL(10,0)', 'numeric(10,0)'],
    ['DECIMAL(38, 8)', 'DECIMAL(38,8)', 'numeric(38,8)'],
    ['double', 'FLOAT', 'double precision'],
    ['float', 'REAL', 'real'],
  ])('maps %s to %s in T-SQL and %s in PostgreSQL', (dataType, tsql, postgres) => {
    const column = { name: 'c', dataType, notNull: false };
    expect(warehouseColumnType('m', column, 'tsql').sqlType).toBe(tsql);
    expect(warehouseColumnType('m', column, 'postgres').sqlType).toBe(postgres);
  });

  test('gives a string in a primary key a T-SQL type an index can hold', () => {
    expect(warehouseColumnType('m', { name: 'c', dataType: 'string', notNull: true }, 'tsql', true).sqlType).toBe('NVARCHAR(450)');
  });

  test.each(['array<string>', 'map<string,int>', 'binary', 'interval day', 'struct<a:int>'])('fails on %s, naming model, column and type', (dataType) => {
    expect(() => warehouseColumnType('fct_x', { name: 'tags', dataType, notNull: false }, 'tsql')).toThrow(
      `gold model fct_x, column tags: contract type "${dataType}" has no warehouse column type; supported: bigint, boolean, byte, date, decimal(p,s), ` +
        'double, float, int, integer, long, real, short, smallint, string, timestamp, timestamp_ntz, tinyint',
    );
  });

  test('fails on a decimal Azure SQL cannot hold', () => {
    expect(() => warehouseColumnType('m', { name: 'c', dataType: 'decimal(40,2)', notNull: false }, 'tsql')).toThrow(
      'gold model m, column c: type "decimal(40,2)" needs a precision of 1 to 38 and a scale of at most the precision',
    );
  });
});

describe('warehouseTablePlan', () => {
  const plan = warehouseTablePlan(
    contract(
      [
        ['id', 'string', true],
        ['amount', 'decimal(18,2)'],
      ],
      ['id'],
    ),
    'tsql',
  );

  test('creates the table in schema gold with NOT NULL and the primary key of the contract', () => {
    expect(plan.createTable).toBe('CREATE TABLE [gold].[m] (\n  [id] NVARCHAR(450) NOT NULL,\n  [amount] DECIMAL(18,2) NULL,\n  PRIMARY KEY ([id])\n)');
    expect(plan.createStaging).toBe(plan.createTable.replace('[gold].[m]', '[gold].[m__load]'));
    expect(plan.columns[1]).toEqual({
      name: 'amount',
      contractType: 'decimal(18,2)',
      sqlType: 'DECIMAL(18,2)',
      catalogType: 'decimal',
      precision: 18,
      scale: 2,
      nullable: true,
    });
  });

  test('replaces the rows from the staging table, which it drops', () => {
    expect(plan.replaceFromStaging).toEqual([
      'DELETE FROM [gold].[m]',
      'INSERT INTO [gold].[m] ([id], [amount]) SELECT [id], [amount] FROM [gold].[m__load]',
      'DROP TABLE [gold].[m__load]',
    ]);
    expect(warehouseTablePlan(contract([['id', 'int']]), 'postgres').replaceFromStaging[1]).toBe(
      'INSERT INTO "gold"."m" ("id") SELECT "id" FROM "gold"."m__load"',
    );
  });

  test('fails on a column name that would need escaping', () => {
    expect(() => warehouseTablePlan(contract([['a]b', 'int']]), 'tsql')).toThrow('"a]b" is not a plain SQL identifier (letters, digits, underscores)');
  });

  test('a plan without contracts fails', () => {
    expect(() => warehouseLoadPlan([], 'tsql')).toThrow('warehouseLoadPlan: no gold contracts; the warehouse load needs at least one gold model');
  });
});

describe('warehouseLoaderGrants', () => {
  test('creates the identity, the gold schema and the rights of a load, idempotently', () => {
    const script = warehouseLoaderGrants({ identityName: 'dbac-x', database: 'warehouse', serverHost: 's.database.windows.net', adminGroup: 'dba' });
    expect(script).toContain("IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = N'dbac-x')\n  CREATE USER [dbac-x] FROM EXTERNAL PROVIDER;");
    expect(script).toContain('GRANT ALTER, SELECT, INSERT, DELETE, REFERENCES ON SCHEMA::[gold] TO [dbac-x];');
  });

  test('fails on a name that would break out of its brackets', () => {
    expect(() => warehouseLoaderGrants({ identityName: 'x]; DROP', database: 'warehouse', serverHost: 's', adminGroup: 'g' })).toThrow(
      `warehouseLoaderGrants: identityName "x]; DROP" must be letters, digits, '.', '_' or '-'`,
    );
  });
});
