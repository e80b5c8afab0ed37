/**
 * The COG writer: `writeCog` streams any `CogRaster` into a Cloud-Optimized GeoTIFF with GDAL's
 * COG layout; `writeCogFromArrays` / `memoryRaster` wrap in-memory typed arrays; `cogify`
 * converts a GeoTIFF the engine reads (optionally onto a tile matrix set's grid).
 */
export { COG_COMPRESSIONS, type CogCompression } from './codecs.js';
export { cogify, type CogifyOptions, type CogifyResult } from './cogify.js';
export { CogWriteError } from './errors.js';
export { epsgGeoKeys, geoTiffTagsFor, georefTagsFor, type FullStatistics, type GeoTiffTags } from './geotags.js';
export { memoryRaster, writeCogFromArrays, type MemoryRasterInit } from './memory.js';
export type { OverviewResampling, Strip } from './overviews.js';
export { cogSourceRaster, readSourceTags, type SourceTags } from './source.js';
export { planTmsGrid, sourceResolutionIn, tmsRaster, ZOOM_LEVEL_STRATEGIES, type TmsGridPlan, type ZoomLevelStrategy } from './tms.js';
export { overviewSizes, writeCog, writeCogToMemory, type CogRaster, type CogWriteOptions, type CogWriteResult } from './writer.js';
