import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCycles, importGraph, ROOT } from './import-graph';

const SOURCE_FOLDERS = ['bin', 'lib', 'ops', 'stacks', 'constructs', 'scripts', 'bench', 'test'];

/** The no-restricted-imports messages ESLint gives each import written in each file. */
function lintImports(cases: Array<{ file: string; code: string }>): string[][] {
  const output = execFileSync(process.execPath, [join(ROOT, 'test/architecture/lint-import-direction.mjs'), JSON.stringify(cases)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[][];
}

describe('the import graph', () => {
  test('has no import cycle anywhere in the tree', () => {
    const graph = importGraph(SOURCE_FOLDERS);
    expect(graph.size).toBeGreaterThan(200);
    expect(importCycles(graph)).toEqual([]);
  });

  test('finds a cycle when one is there (the check can fail)', () => {
    const graph = new Map([
      ['lib/config/index.ts', ['lib/naming/stack-names.ts']],
      ['lib/naming/stack-names.ts', ['lib/lake/layout.ts']],
      ['lib/lake/layout.ts', ['lib/config/index.ts']],
      ['lib/definition/index.ts', []],
    ]);
    expect(importCycles(graph)).toEqual([['lib/config/index.ts', 'lib/lake/layout.ts', 'lib/naming/stack-names.ts']]);
  });
});

describe('the import direction rule (eslint.config.mjs)', () => {
  test('fails on a back edge, naming the folders and what the folder may import', () => {
    const [definitionToConfig, lakeToNaming, constructToStack, stackToCli, nestedConstructToStack] = lintImports([
      { file: 'lib/definition/back-edge.ts', code: "import { loadPlatformConfig } from '../config';\n" },
      { file: 'lib/lake/back-edge.ts', code: "import { stackName } from '../naming/stack-names';\n" },
      { file: 'constructs/aws/back-edge.ts', code: "import { StorageStack } from '../../stacks/aws';\n" },
      { file: 'stacks/aws/back-edge.ts', code: "import { platformCli } from '../../ops/cli';\n" },
      { file: 'constructs/aws/jobs/back-edge.ts', code: "import { StorageStack } from '../../../stacks/aws/storage-stack';\n" },
    ]);
    expect(definitionToConfig).toEqual([expect.stringContaining('lib/definition may not import lib/config')]);
    expect(definitionToConfig[0]).toContain('lib/definition may import no project folder');
    expect(lakeToNaming).toEqual([expect.stringContaining('lib/lake may not import lib/naming')]);
    expect(constructToStack).toEqual([expect.stringContaining('constructs/aws may not import stacks/aws')]);
    expect(stackToCli).toEqual([expect.stringContaining('stacks/aws may not import ops')]);
    expect(nestedConstructToStack).toEqual([expect.stringContaining('constructs/aws may not import stacks/aws')]);
  });

  test('allows the edges that point outward from the definition', () => {
    const results = lintImports([
      { file: 'lib/config/forward.ts', code: "import { LAYERS } from '../definition';\n" },
      {
        file: 'stacks/aws/forward.ts',
        code: "import { DataLakeStorage } from '../../constructs/aws/data-lake-storage';\nimport { Catalogue } from '../../lib/definition';\n",
      },
      { file: 'bin/forward.ts', code: "import { platformCli } from '../ops/cli';\n" },
      { file: 'test/anything.ts', code: "import { platformCli } from '../ops/cli';\n" },
    ]);
    expect(results).toEqual([[], [], [], []]);
  });
});

describe('folder headers', () => {
  const direction = JSON.parse(readFileSync(join(ROOT, 'import-direction.json'), 'utf8')) as Record<string, string[]>;

  test.each(Object.keys(direction))('%s says what it holds and exactly what it may import', (folder) => {
    const header = ['README.md', 'index.ts'].map((file) => join(ROOT, folder, file)).find((path) => existsSync(path));
    expect(header).toBeDefined();
    const text = readFileSync(header as string, 'utf8')
      .replace(/\n \* ?/g, ' ')
      .replace(/\s+/g, ' ');
    const allowed = /May import: ([^.]*)\./.exec(text)?.[1];
    expect(allowed).toBeDefined();
    expect(allowed === 'nothing of the project (a leaf)' ? [] : (allowed as string).split(', ')).toEqual(direction[folder]);
  });

  test('every folder of lib, constructs and stacks is in the import direction table', () => {
    const folders = ['lib', 'constructs', 'stacks'].flatMap((parent) =>
      readdirSync(join(ROOT, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${parent}/${entry.name}`),
    );
    expect(folders.filter((folder) => !(folder in direction))).toEqual([]);
  });
});
