import { BINARY_MANIFEST_COLUMNS, DEFAULT_MAX_CONTENT_BYTES, MAX_CONTENT_BYTES_LIMIT } from '../../lib/lake';
import { binaryDataset, configWithBinaryDataset, problemsAfter } from '../fixtures/platform';

describe('format binary in the definition', () => {
  /** The problems of the example with the fixture's binary dataset, changed by `change`, appended (datasets[8]). */
  const problemsOfBinary = (change: (dataset: Record<string, any>) => void): string[] =>
    problemsAfter((definition) => {
      const dataset = binaryDataset();
      change(dataset);
      definition.datasets.push(dataset);
    });

  test('resolves to the manifest columns, keyed by path, with the content limit given or its default', () => {
    const config = configWithBinaryDataset();
    const assets = config.datasets.find((dataset) => dataset.name === 'campaign_assets')!;
    expect(assets.format).toBe('binary');
    expect(assets.columns).toEqual(BINARY_MANIFEST_COLUMNS);
    expect(assets.keys).toEqual(['path']);
    expect(assets.source).toMatchObject({ kind: 'files', maxContentBytes: 1024 });
    const defaulted = configWithBinaryDataset((dataset) => delete dataset.source.maxContentBytes).datasets.find((d) => d.name === 'campaign_assets')!;
    expect(defaulted.source).toMatchObject({ maxContentBytes: DEFAULT_MAX_CONTENT_BYTES });
    expect(DEFAULT_MAX_CONTENT_BYTES).toBe(16 * 1024 * 1024);
  });

  test('fails when a binary dataset declares columns or keys, naming the field', () => {
    const problems = problemsOfBinary((dataset) => {
      dataset.columns = [{ name: 'file_name', type: 'string' }];
      dataset.keys = ['file_name'];
    });
    const at = (field: string) => problems.find((problem) => problem.startsWith(`datasets[8].${field}:`));
    expect(at('columns')).toMatch(
      /^datasets\[8\]\.columns: is not allowed with format binary: its bronze table is the manifest of the files \(path, size_bytes/,
    );
    expect(at('columns')).toContain('(dataset "campaign_assets")');
    expect(at('keys')).toMatch(/is not allowed with format binary: the manifest is keyed by path, one row per object/);
  });

  test('fails when a binary dataset has CSV options, cdc or quality rules, naming each field', () => {
    const problems = problemsOfBinary((dataset) => {
      dataset.source.header = true;
      dataset.source.delimiter = ';';
      dataset.cdc = true;
      dataset.quality = [{ rule: 'row_count', min: 1 }];
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^datasets\[8\]\.source\.header: is not allowed with format binary: header is a CSV option; binary files are not parsed/),
        expect.stringMatching(/^datasets\[8\]\.source\.delimiter: is not allowed with format binary: delimiter is a CSV option/),
        expect.stringMatching(/^datasets\[8\]\.cdc: is not allowed with format binary: files are objects, not change events/),
        expect.stringMatching(/^datasets\[8\]\.quality: is not allowed with format binary: quality rules check declared columns/),
      ]),
    );
  });

  test('fails when binary is the format of a source that is not files', () => {
    const problems = problemsOfBinary((dataset) => {
      dataset.source = { kind: 'api', baseUrl: 'https://api.example.com', path: '/assets' };
    });
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^datasets\[8\]\.format: "binary" is for files sources only \(files landed under the landing prefix\); a api source delivers records/,
      ),
    );
  });

  test('fails when maxContentBytes is out of range, or given for a record format', () => {
    const tooLarge = problemsOfBinary((dataset) => {
      dataset.source.maxContentBytes = MAX_CONTENT_BYTES_LIMIT + 1;
    });
    expect(tooLarge).toContainEqual(expect.stringMatching(new RegExp(`^datasets\\[8\\]\\.source\\.maxContentBytes: .*from 0 to ${MAX_CONTENT_BYTES_LIMIT}`)));
    const onCsv = problemsAfter((definition) => {
      definition.datasets.find((dataset: any) => dataset.name === 'products').source.maxContentBytes = 1024;
    });
    expect(onCsv).toContainEqual(expect.stringMatching(/^datasets\[\d+\]\.source\.maxContentBytes: \(1024\) applies to format binary only; format is "csv"/));
  });

  test('fails when a record format has no columns or no keys', () => {
    const problems = problemsAfter((definition) => {
      const products = definition.datasets.find((dataset: any) => dataset.name === 'products');
      delete products.columns;
      delete products.keys;
      delete products.quality;
    });
    expect(problems).toContainEqual(
      expect.stringMatching(/^datasets\[\d+\]\.columns: is required: format "csv" holds records \(only format binary has none\)/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/^datasets\[\d+\]\.keys: is required: format "csv" holds records/));
  });
});
