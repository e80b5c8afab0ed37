/**
 * OGC WMTS 1.0.0 (OGC 07-057r7), KVP and RESTful bindings: request parsing, the capabilities
 * document, feature info answers and the OWS 1.1 exception table. Knows nothing of HTTP
 * frameworks: src/server/routes/wmts.ts is the Koa face.
 */
export { capabilitiesXml, currentCapabilitiesXml, kvpEndpoint, restCapabilitiesUrl, type CapabilitiesInput } from './capabilities.js';
export { exceptionReportXml, owsErrorResponse, OwsException, type OwsErrorResponse, type OwsExceptionCode } from './exceptions.js';
export { formatFeatureInfo, type FeatureInfo } from './featureinfo.js';
export { IMAGE_MIME, INFO_FORMATS, infoFormatOfMime, type InfoFormat } from './formats.js';
export { layerExtent, type LayerExtent } from './limits.js';
export { featureInfoTemplate, tileTemplate } from './layer.js';
export { CAPABILITIES_FORMATS, negotiateCapabilities, SECTIONS, type CapabilitiesPlan, type Section } from './negotiation.js';
export { parseKvpRequest, WMTS_VERSION, type CapabilitiesParams, type FeatureInfoParams, type TileParams, type WmtsRequest } from './requests.js';
export { parseRestFeatureInfo, parseRestTile, type RestFeatureInfoPath, type RestTilePath } from './rest.js';
export { crsUrn, isGoogleMapsCompatible, isWmtsCompatible, wmtsTileMatrixSet } from './tilematrixset.js';
export { DEFAULT_STYLE, layerOf, resolveTile, wmtsTileMatrixSets, type ResolvedTile, type WmtsCatalog } from './tiles.js';
