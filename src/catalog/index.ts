// The catalog's public door: reference data, region presets, the product book.
export { loadReferenceData, municipalities, nationalProducts, type MunicipalityRef } from './reference.ts';
export { loadRegionPreset, presetFor, REGION_PRESETS, REGION_IDS, slug, type RegionId, type RegionPreset } from './presets.ts';
export { listRegions, regionDetail, productBook, UNIT_NAMES } from './read.ts';
export { segmentTree, codesUnder, type SegmentNode, type SegmentRow } from './segments.ts';
