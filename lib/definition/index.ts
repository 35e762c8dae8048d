/**
 * The platform definition's vocabulary (layers, stages, source kinds, formats, classifications), the
 * resolved definition types (`PlatformConfig`, `EnvironmentConfig`, `DatasetConfig`, `StagePolicy`,
 * `EnvironmentScope`) and the one catalogue view of the datasets (`Catalogue`: batch, streams, domains,
 * pipelines; `layerAccess`: owners and readers per layer; `deploysGoldApi`), and where an environment may deploy: the AWS
 * regions with their partitions (`AWS_REGIONS`, `awsPartition`, from aws-cdk-lib's region facts) and the
 * Azure locations (`AZURE_LOCATIONS`). Every other module asks these questions here.
 *
 * Of packages it loads only light ones (`aws-cdk-lib/region-info`, not the library): validation starts fast.
 *
 * May import: nothing of the project (a leaf).
 */
export * from './vocabulary';
export * from './types';
export * from './catalogue';
export * from './consumers';
export * from './closest-match';
export * from './aws-regions';
export * from './azure-locations';
