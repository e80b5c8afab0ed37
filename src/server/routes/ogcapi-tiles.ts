/**
 * The OGC API - Tiles 1.0 face (OGC 20-057), a thin Koa layer over src/ogc/tiles and the
 * TileService:
 *
 *   /collections/{id}/map/tiles[/{tms}[/{tileMatrix}/{tileRow}/{tileCol}]]        map tiles of a collection
 *   /collections/{id}/coverage/tiles[/{tms}[/{tileMatrix}/{tileRow}/{tileCol}]]   raw values as GeoTIFF
 *   /map/tiles[/{tms}[/{tileMatrix}/{tileRow}/{tileCol}]][?collections=a,b]        all collections together
 *
 * A collection's map tile is exactly the tile the XYZ and WMTS faces serve (the same
 * TileRequest to the same TileService.render: the same bytes). Dataset tiles are maps on the
 * tile's grid (TileService.renderMap): each collection is styled on its own and the images
 * are composited, so collections of any band layout mix (see README, "dataset tiles").
 */
import { Router } from '@koa/router';
import type { Collection } from '../../catalog/types.js';
import { InvalidParameterError } from '../../errors.js';
import { link, MEDIA, REL, seg, type Link } from '../../ogc/common/links.js';
import { PARAM, RESPONSE, type OperationDoc, type ParameterDoc } from '../../ogc/common/openapi.js';
import { parseStyleQuery, single } from '../../ogc/common/params.js';
import { collectionUrl } from '../../ogc/tiles/collections.js';
import { TILES_CONFORMANCE } from '../../ogc/tiles/conformance.js';
import { coverageTileGeoTiff } from '../../ogc/tiles/coverage.js';
import { unionLonLat } from '../../ogc/tiles/extent.js';
import { MAP_MEDIA, negotiateCoverageFormat, negotiateMapFormat } from '../../ogc/tiles/formats.js';
import { collectionLimits, unionLimits } from '../../ogc/tiles/limits.js';
import { offeredTileMatrixSet, parseCollectionsParam, parseTileAddress, type TilePath } from '../../ogc/tiles/tiles.js';
import { tilesetDocument, tilesetsListDocument, type TileSource } from '../../ogc/tiles/tilesets.js';
import type { TileMatrixSet } from '../../tilematrixsets/index.js';
import type { ImageFormat } from '../../tiling/encode.js';
import { tileGrid } from '../../tiling/grid.js';
import type { MapResponse } from '../../tiling/service.js';
import type { AppDeps, RequestState } from '../context.js';
import { sendTile } from '../tile-response.js';
import { documentedGet } from './declare.js';
import type { OgcApiFace } from './ogcapi.js';
import { accepts, base, formatOf, ogcapiFrame, query, sendMetadata, type Ctx } from './ogcapi-respond.js';

const ALL_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp'];
const STYLE_NAMES = ['bands', 'rescale', 'colormap'];

const P = {
  collectionId: PARAM.path('collectionId', 'Collection id.'),
  tileMatrixSetId: PARAM.path('tileMatrixSetId', 'Tile matrix set id, e.g. WebMercatorQuad or WorldCRS84Quad.'),
  tileMatrix: PARAM.path('tileMatrix', 'Tile matrix (zoom level) id of the set.'),
  tileRow: PARAM.path('tileRow', 'Row of the tile, from the corner of origin of the matrix.', { type: 'integer', minimum: 0 }),
  tileCol: PARAM.path('tileCol', 'Column of the tile, from the corner of origin of the matrix.', { type: 'integer', minimum: 0 }),
  fMeta: PARAM.f(['json', 'html']),
  fMap: PARAM.f(['png', 'jpeg', 'webp'], 'Tile encoding; without it the Accept header decides (else the collection\'s first format).'),
  fCoverage: PARAM.f(['geotiff'], 'Tile encoding: GeoTIFF of the raw values.'),
  resampling: PARAM.query('resampling', 'nearest, bilinear, cubic, lanczos or average (default: the collection\'s).', { type: 'string', enum: ['nearest', 'bilinear', 'cubic', 'lanczos', 'average'] }),
  style: [
    PARAM.query('bands', 'Band numbers from 1, comma-separated: one (grey or colour map) or three (RGB).'),
    PARAM.query('rescale', 'MIN,MAX per selected band (or once for all).'),
    PARAM.query('colormap', 'Colour map of a single band, e.g. viridis.'),
  ],
  collections: {
    name: 'collections', in: 'query', required: false, style: 'form', explode: false,
    description: 'Collections to draw, comma-separated (each id percent-encoded), the last on top; default every collection offered in the set.',
    schema: { type: 'array', items: { type: 'string' } },
  } as ParameterDoc,
};
const ERR = {
  400: RESPONSE.problem('A malformed parameter.'),
  404: RESPONSE.problem('No such collection, tile matrix set or tile (outside the tileset\'s limits).'),
  406: RESPONSE.problem('None of the offered media types is acceptable.'),
};
const META = (d: string) => RESPONSE.jsonOrHtml(d);
const MAP_TILE = { 200: RESPONSE.binary('The tile.', ALL_FORMATS.map((f) => MAP_MEDIA[f])), 204: RESPONSE.empty('No data in this tile (when so configured).'), ...ERR };

export function ogcapiTilesRoutes(deps: AppDeps): OgcApiFace {
  const router = new Router<RequestState>();
  const { catalog, registry } = deps;
  const get = (path: string, doc: OperationDoc, handler: (ctx: Ctx) => unknown) => documentedGet(router, path, doc, ogcapiFrame, async (ctx) => { await handler(ctx); });

  const offeredSets = (c: Collection): TileMatrixSet[] => c.info.tileMatrixSets.map((t) => registry.tryGet(t.tileMatrixSetId)).filter((t): t is TileMatrixSet => t !== undefined);
  const collectionRelated = (b: string, c: Collection): Link[] => [link('collection', MEDIA.json, collectionUrl(b, c.id), c.title)];

  const mapSource = (b: string, c: Collection): TileSource => ({
    path: `/collections/${seg(c.id)}/map/tiles`, dataType: 'map', title: c.title, description: c.description,
    ...(c.attribution ? { attribution: c.attribution } : {}),
    encodings: c.formats.map((f) => ({ f, mediaType: MAP_MEDIA[f] })),
    tileMatrixSets: offeredSets(c), limits: (tms) => collectionLimits(c, tms), lonLatBounds: c.info.lonLatBounds,
    related: collectionRelated(b, c),
  });
  const coverageSource = (b: string, c: Collection): TileSource => ({
    ...mapSource(b, c), path: `/collections/${seg(c.id)}/coverage/tiles`, dataType: 'coverage',
    encodings: [{ f: 'geotiff', mediaType: MEDIA.geotiff }],
  });
  /** The dataset: every collection; a set is offered when a collection offers it, with the union of their limits. */
  const datasetSource = (b: string): TileSource => {
    const all = catalog.list();
    const sets = [...new Map(all.flatMap(offeredSets).map((t) => [t.id, t])).values()];
    const offering = (tms: TileMatrixSet) => all.filter((c) => c.info.tileMatrixSets.some((t) => t.tileMatrixSetId === tms.id));
    return {
      path: '/map/tiles', dataType: 'map', title: 'All collections',
      description: 'Every collection of the server in one map, in catalog order (the last on top).',
      encodings: datasetFormats().map((f) => ({ f, mediaType: MAP_MEDIA[f] })),
      tileMatrixSets: sets,
      limits: (tms) => unionLimits(tms, offering(tms).map((c) => collectionLimits(c, tms))),
      lonLatBounds: all.length ? unionLonLat(all.map((c) => c.info.lonLatBounds)) : [-180, -90, 180, 90],
      related: [link(REL.data, MEDIA.json, `${b}/collections`, 'the collections')],
    };
  };
  /** Formats every collection offers (a dataset tile must be encodable for all of them). */
  const datasetFormats = () => ALL_FORMATS.filter((f) => catalog.list().every((c) => c.formats.includes(f)));

  const tilePath = (ctx: Ctx): TilePath => ({ tileMatrix: ctx.params['tileMatrix']!, tileRow: ctx.params['tileRow']!, tileCol: ctx.params['tileCol']! });

  /** Dataset tiles (maps on a tile's grid): 200 with bytes or 204; cached for a while. */
  const send = (ctx: Ctx, result: MapResponse, collection: string) => {
    deps.metrics.tiles.inc({ collection, format: result.format, outcome: result.kind === 'image' && !result.empty ? 'image' : 'empty' });
    if (result.kind === 'no-content') {
      ctx.status = 204;
      return;
    }
    ctx.type = result.contentType;
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength);
  };

  const mapFormat = (ctx: Ctx, offered: readonly ImageFormat[]) => {
    const f = single(query(ctx), 'f');
    if (f === undefined) ctx.vary('Accept');
    return negotiateMapFormat(f, offered, accepts(ctx), ctx.get('accept'));
  };

  // ----- collection map tiles (/req/geodata-tilesets, /req/tilesets-list, /req/tileset, /req/core)
  get('/collections/:collectionId/map/tiles', {
    operationId: '.collection.map.getTileSetsList', summary: 'The map tilesets of a collection, one per tile matrix set.', tags: ['Map tiles'],
    parameters: [P.collectionId, P.fMeta], responses: { 200: META('The tileset list.'), ...ERR },
  }, (ctx) => {
    const c = catalog.get(ctx.params['collectionId']!);
    const format = formatOf(ctx);
    sendMetadata(ctx, deps, tilesetsListDocument(base(ctx, deps), mapSource(base(ctx, deps), c), format), format, `${c.title}: map tilesets`);
  });

  get('/collections/:collectionId/map/tiles/:tileMatrixSetId', {
    operationId: '.collection.map.getTileSet', summary: 'Map tileset metadata: limits, bounding box, tile URL templates.', tags: ['Map tiles'],
    parameters: [P.collectionId, P.tileMatrixSetId, P.fMeta], responses: { 200: META('The tileset metadata (TMS 2.0 tileset JSON).'), ...ERR },
  }, (ctx) => {
    const c = catalog.get(ctx.params['collectionId']!);
    const b = base(ctx, deps);
    const source = mapSource(b, c);
    const tms = offeredTileMatrixSet(source.tileMatrixSets, ctx.params['tileMatrixSetId']!, `collection "${c.id}"`);
    const format = formatOf(ctx);
    sendMetadata(ctx, deps, tilesetDocument(b, source, tms, format), format, `${c.title} in ${tms.id}`);
  });

  get('/collections/:collectionId/map/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol', {
    operationId: '.collection.map.getTile', summary: 'A map tile of a collection (the same bytes as the XYZ and WMTS tile).', tags: ['Map tiles'],
    parameters: [P.collectionId, P.tileMatrixSetId, P.tileMatrix, P.tileRow, P.tileCol, P.fMap, ...P.style, P.resampling], responses: MAP_TILE,
  }, async (ctx) => {
    const c = catalog.get(ctx.params['collectionId']!);
    const source = mapSource('', c);
    const tms = offeredTileMatrixSet(source.tileMatrixSets, ctx.params['tileMatrixSetId']!, `collection "${c.id}"`);
    const tile = parseTileAddress(tms, tilePath(ctx), source.limits(tms));
    const format = mapFormat(ctx, c.formats);
    const { style, resampling } = parseStyleQuery(query(ctx));
    // The XYZ and WMTS faces' own sender: the same TileService.render, ETag, 304, Cache-Control.
    await sendTile(ctx, deps, c, { collectionId: c.id, tileMatrixSetId: tms.id, tile, format, style, ...(resampling ? { resampling } : {}) });
  });

  // ----- collection coverage tiles (raw values, GeoTIFF; the "tiff" class)
  get('/collections/:collectionId/coverage/tiles', {
    operationId: '.collection.coverage.getTileSetsList', summary: 'The coverage (raw value) tilesets of a collection.', tags: ['Coverage tiles'],
    parameters: [P.collectionId, P.fMeta], responses: { 200: META('The tileset list.'), ...ERR },
  }, (ctx) => {
    const c = catalog.get(ctx.params['collectionId']!);
    const format = formatOf(ctx);
    sendMetadata(ctx, deps, tilesetsListDocument(base(ctx, deps), coverageSource(base(ctx, deps), c), format), format, `${c.title}: coverage tilesets`);
  });

  get('/collections/:collectionId/coverage/tiles/:tileMatrixSetId', {
    operationId: '.collection.coverage.getTileSet', summary: 'Coverage tileset metadata.', tags: ['Coverage tiles'],
    parameters: [P.collectionId, P.tileMatrixSetId, P.fMeta], responses: { 200: META('The tileset metadata.'), ...ERR },
  }, (ctx) => {
    const c = catalog.get(ctx.params['collectionId']!);
    const b = base(ctx, deps);
    const source = coverageSource(b, c);
    const tms = offeredTileMatrixSet(source.tileMatrixSets, ctx.params['tileMatrixSetId']!, `collection "${c.id}"`);
    const format = formatOf(ctx);
    sendMetadata(ctx, deps, tilesetDocument(b, source, tms, format), format, `${c.title} in ${tms.id} (coverage)`);
  });

  get('/collections/:collectionId/coverage/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol', {
    operationId: '.collection.coverage.getTile', summary: 'A coverage tile: the raw values as a GeoTIFF georeferenced to the tile (float stays float, nodata kept).', tags: ['Coverage tiles'],
    parameters: [P.collectionId, P.tileMatrixSetId, P.tileMatrix, P.tileRow, P.tileCol, P.fCoverage, P.resampling],
    responses: { 200: RESPONSE.binary('The tile.', [MEDIA.geotiff]), 204: RESPONSE.empty('No data in this tile (when so configured).'), ...ERR },
  }, async (ctx) => {
    const c = catalog.get(ctx.params['collectionId']!);
    const source = coverageSource('', c);
    const tms = offeredTileMatrixSet(source.tileMatrixSets, ctx.params['tileMatrixSetId']!, `collection "${c.id}"`);
    const tile = parseTileAddress(tms, tilePath(ctx), source.limits(tms));
    const f = single(query(ctx), 'f');
    if (f === undefined) ctx.vary('Accept');
    negotiateCoverageFormat(f, accepts(ctx), ctx.get('accept'));
    const q = query(ctx);
    const styled = STYLE_NAMES.find((n) => q[n] !== undefined);
    if (styled) throw new InvalidParameterError(styled, `${styled} styles map tiles; coverage tiles carry every band's raw values`);
    const { resampling } = parseStyleQuery(q);
    const started = process.hrtime.bigint();
    const values = await deps.tiles.tileValues({ collectionId: c.id, tileMatrixSetId: tms.id, tile, ...(resampling ? { resampling } : {}) }, ctx.state.signal);
    deps.metrics.renderTime.observe({ collection: c.id }, Number(process.hrtime.bigint() - started) / 1e9);
    deps.metrics.tiles.inc({ collection: c.id, format: 'geotiff', outcome: values.raster ? 'image' : 'empty' });
    if (!values.raster && c.emptyTile === '204') {
      ctx.status = 204;
      return;
    }
    const bytes = await coverageTileGeoTiff({
      grid: values.grid, raster: values.raster, nodata: c.info.nodata, shape: { bandCount: c.info.bandCount, dataType: c.info.dataType },
    });
    ctx.type = MEDIA.geotiff;
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });

  // ----- dataset tiles (/req/dataset-tilesets, /req/geodata-selection)
  get('/map/tiles', {
    operationId: '.dataset.map.getTileSetsList', summary: 'Map tilesets of all collections together.', tags: ['Map tiles'],
    parameters: [P.fMeta], responses: { 200: META('The tileset list.'), ...ERR },
  }, (ctx) => {
    const format = formatOf(ctx);
    sendMetadata(ctx, deps, tilesetsListDocument(base(ctx, deps), datasetSource(base(ctx, deps)), format), format, 'All collections: map tilesets');
  });

  get('/map/tiles/:tileMatrixSetId', {
    operationId: '.dataset.map.getTileSet', summary: 'Map tileset metadata of all collections together.', tags: ['Map tiles'],
    parameters: [P.tileMatrixSetId, P.fMeta], responses: { 200: META('The tileset metadata.'), ...ERR },
  }, (ctx) => {
    const b = base(ctx, deps);
    const source = datasetSource(b);
    const tms = offeredTileMatrixSet(source.tileMatrixSets, ctx.params['tileMatrixSetId']!, 'the dataset');
    const format = formatOf(ctx);
    sendMetadata(ctx, deps, tilesetDocument(b, source, tms, format), format, `All collections in ${tms.id}`);
  });

  get('/map/tiles/:tileMatrixSetId/:tileMatrix/:tileRow/:tileCol', {
    operationId: '.dataset.map.getTile', summary: 'A map tile of all (or the selected) collections, composited in order, the last on top.', tags: ['Map tiles'],
    parameters: [P.tileMatrixSetId, P.tileMatrix, P.tileRow, P.tileCol, P.fMap, P.collections, P.resampling], responses: MAP_TILE,
  }, async (ctx) => {
    const source = datasetSource('');
    const tms = offeredTileMatrixSet(source.tileMatrixSets, ctx.params['tileMatrixSetId']!, 'the dataset');
    const tile = parseTileAddress(tms, tilePath(ctx), source.limits(tms));
    const q = query(ctx);
    const styled = STYLE_NAMES.find((n) => q[n] !== undefined);
    if (styled) throw new InvalidParameterError(styled, `${styled} applies to one collection's tiles; dataset tiles draw each collection in its own style`);
    // The raw query keeps each id's percent-encoding (an id may hold a comma).
    const raw = ctx.querystring.split('&').filter((kv) => kv.split('=')[0] === 'collections').map((kv) => kv.slice('collections='.length).replace(/\+/g, '%20'));
    if (raw.length > 1) throw new InvalidParameterError('collections', 'collections is given more than once');
    const selected = parseCollectionsParam(raw[0], (id) => catalog.tryGet(id) !== undefined);
    const ids = selected ?? catalog.list().filter((c) => c.info.tileMatrixSets.some((t) => t.tileMatrixSetId === tms.id)).map((c) => c.id);
    const format = mapFormat(ctx, datasetFormats());
    const { resampling } = parseStyleQuery(q);
    const started = process.hrtime.bigint();
    const result = await deps.tiles.renderMap({
      layers: ids.map((id) => ({ collectionId: id, ...(resampling ? { resampling } : {}) })), grid: tileGrid(tms, tile), format,
    }, ctx.state.signal);
    deps.metrics.renderTime.observe({ collection: '(dataset)' }, Number(process.hrtime.bigint() - started) / 1e9);
    send(ctx, result, '(dataset)');
  });

  return {
    router,
    conformance: TILES_CONFORMANCE,
    landingLinks: (b) => [link(REL.tilesetsMap, MEDIA.json, `${b}/map/tiles`, 'map tilesets of all collections together')],
  };
}
