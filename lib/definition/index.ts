/**
 * The platform definition's vocabulary (layers, stages, source kinds, formats, classifications), the
 * resolved definition types (`PlatformConfig`, `EnvironmentConfig`, `DatasetConfig`, `StagePolicy`,
 * `EnvironmentScope`) and the one catalogue view of the datasets (`Catalogue`: batch, streams, domains,
 * pipelines; `layerAccess`: owners and readers per layer). Every other module asks these questions here.
 *
 * May import: nothing of the project (a leaf).
 */
export * from './vocabulary';
export * from './types';
export * from './catalogue';
export * from './closest-match';
