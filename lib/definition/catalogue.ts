import type { DatabaseSource, DatasetConfig, StreamSource } from './types';
import { BATCH_SOURCE_KINDS, type Layer } from './vocabulary';

/**
 * The one view of the dataset catalogue that everything else asks: which datasets are streams and which
 * are landed in batches, the domains, the pipelines, who owns and reads what. Every stack, construct,
 * validation rule and CLI command that needs one of these answers gets it here, so each is decided once.
 */

/** Whether a dataset arrives as a stream (source kind "stream", schedule "continuous"). */
export function isStream<D extends { readonly source: { readonly kind: string } }>(
  dataset: D,
): dataset is D & { readonly source: { readonly kind: 'stream' } } {
  return dataset.source.kind === 'stream';
}

/** A dataset whose source is a stream. */
export type StreamDataset = DatasetConfig & { readonly source: StreamSource };

/** Whether a dataset is landed in batches by a scheduled copy (database, api, files). */
export function isBatch(dataset: { readonly source: { readonly kind: string } }): boolean {
  return (BATCH_SOURCE_KINDS as readonly string[]).includes(dataset.source.kind);
}

/** A `cdc: true` database dataset: its changes are captured from the database by a replication service (lib/lake/change-capture.ts). */
export type CapturedDataset = DatasetConfig & { readonly source: DatabaseSource };

/** Whether a dataset's changes are captured from its database (`cdc: true` with a database source). */
export function isCaptured(dataset: Pick<DatasetConfig, 'cdc' | 'source'>): dataset is CapturedDataset {
  return dataset.cdc && dataset.source.kind === 'database';
}

/** The distinct values of `key`, in the order they first appear. */
function distinct<T>(items: readonly T[], key: (item: T) => string): string[] {
  return [...new Set(items.map(key))];
}

/**
 * A pipeline is one business domain of the catalogue: the batch ingestion of its batch datasets
 * (source → bronze), then one Spark step that rebuilds the domain's silver and gold from bronze. Stream
 * datasets land continuously, so they have no ingestion to start, but the Spark step reads what they
 * landed: a domain made only of streams is still a pipeline.
 */
export interface Pipeline<D extends CatalogueEntry = DatasetConfig> {
  /** The domain's name. */
  readonly name: string;
  /** Datasets landed in batches, each by its own scheduled job. */
  readonly batchDatasets: readonly D[];
  /** Datasets that land continuously, never started on their own. */
  readonly streamDatasets: readonly D[];
}

/** What the catalogue needs of a dataset: the resolved `DatasetConfig`, or the definition's entry while it is validated. */
export interface CatalogueEntry {
  readonly name: string;
  readonly domain: string;
  readonly source: { readonly kind: string };
}

/** How a group may use a dataset's table in one layer. */
export type TableAccess = 'read' | 'own';

export class Catalogue<D extends CatalogueEntry = DatasetConfig> {
  /** The catalogue of a definition (resolved, or being validated). */
  static of<D extends CatalogueEntry>(config: { readonly datasets: readonly D[] }): Catalogue<D> {
    return new Catalogue(config.datasets);
  }

  constructor(readonly datasets: readonly D[]) {}

  /** Datasets landed in batches, in definition order. */
  batch(): D[] {
    return this.datasets.filter(isBatch);
  }

  /** Datasets whose changes are captured from their database, in definition order. */
  captured(): Array<D & CapturedDataset> {
    return this.datasets.filter((dataset): dataset is D & CapturedDataset => isCaptured(dataset as unknown as DatasetConfig));
  }

  /** Stream datasets, in definition order. */
  streams(): Array<D & { readonly source: Extract<D['source'], { readonly kind: 'stream' }> }> {
    return this.datasets.filter((dataset): dataset is D & { readonly source: Extract<D['source'], { readonly kind: 'stream' }> } => isStream(dataset));
  }

  /** The distinct domains, sorted: the order of per-domain stacks and of the domain tag's values. */
  domains(): string[] {
    return distinct(this.datasets, (dataset) => dataset.domain).sort();
  }

  /** The distinct domains in the order they first appear in the catalogue: the order of the pipelines. */
  domainsInDefinitionOrder(): string[] {
    return distinct(this.datasets, (dataset) => dataset.domain);
  }

  /** The datasets of one domain, in definition order. */
  byDomain(domain: string): D[] {
    return this.datasets.filter((dataset) => dataset.domain === domain);
  }

  /** The pipelines, one per domain, in the order the domains first appear in the catalogue. */
  pipelines(): Pipeline<D>[] {
    return this.domainsInDefinitionOrder().map((domain) => {
      const datasets = this.byDomain(domain);
      return { name: domain, batchDatasets: datasets.filter(isBatch), streamDatasets: datasets.filter(isStream) };
    });
  }

  /** The domains that hold stream datasets, in the order they first appear. */
  streamDomains(): string[] {
    return distinct(this.streams(), (dataset) => dataset.domain);
  }

  /** The dataset called `name`, if any. */
  dataset(name: string): D | undefined {
    return this.datasets.find((dataset) => dataset.name === name);
  }
}

/**
 * Who may use a dataset's table in one layer: owners own it in every layer, readers read the layers they
 * are listed for (owners win over readers). Bronze is readable by its owners only unless `readers.bronze`
 * says otherwise.
 */
export function layerAccess(dataset: Pick<DatasetConfig, 'owners' | 'readers'>, layer: Layer): ReadonlyMap<string, TableAccess> {
  const access = new Map<string, TableAccess>();
  for (const group of dataset.readers[layer]) access.set(group, 'read');
  for (const group of dataset.owners) access.set(group, 'own');
  return access;
}
