import { landedMetadataType } from '../azure/bronze-landing';
import type { PlatformConfig } from '../../lib/definition';
import { type BronzeTablesPlan, bronzeTablesPlan } from '../../lib/pipelines';

/**
 * The bronze tables plan of an environment on Azure: the batch datasets' files as Data Factory lands them
 * in the bronze filesystem (its added metadata columns as text, see `landedMetadataType`), into the
 * catalog's bronze tables, with the checkpoints in bronze's working data (`bronzeWorkUrl`). The lakehouse
 * stack deploys it next to bronze_tables.py; the local tests run the step with it (scripts/bronze-tables-plan.ts).
 */
export function dataFactoryBronzeTablesPlan(
  config: Pick<PlatformConfig, 'datasets'>,
  urls: { readonly catalog: string; readonly bronzeUrl: string; readonly bronzeWorkUrl: string },
): BronzeTablesPlan {
  return bronzeTablesPlan(config, {
    ...urls,
    landedType: (_dataset, column) => landedMetadataType(column),
  });
}
