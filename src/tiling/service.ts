/**
 * The one primitive every protocol face calls (DESIGN.md): render a tile of a collection in
 * a tile matrix set. Faces parse their own syntax into a TileRequest; this service checks it
 * against the collection (offered set, tile in range, format, style), fills in the
 * collection's defaults and has the renderer make the image.
 */
import { getCrs, getTransformer } from '../crs/index.js';
import { InvalidParameterError, NotFoundError, PixelOutOfRangeError } from '../errors.js';
import { assertValidTile, type TileAddress, type TileMatrixSetRegistry } from '../tilematrixsets/index.js';
import type { ImageFormat } from './encode.js';
import { contentTypes } from './encode.js';
import { tileGrid } from './grid.js';
import type { TileRenderer } from './renderer.js';
import { checkStyle, type StyleParams } from './style/style.js';
import type { Resampling } from './warp/plan.js';

/** What the service needs to know of a collection (the catalog's Collection has all of it). */
export interface TileCollection {
  id: string;
  sources: readonly string[];
  style: StyleParams;
  resampling: Resampling;
  formats: readonly ImageFormat[];
  emptyTile: 'blank' | '204';
  info: { bandCount: number; tileMatrixSets: readonly { tileMatrixSetId: string }[] };
}

export interface TileCollections {
  /** Throws NotFoundError for an unknown id. */
  get(id: string): TileCollection;
}

export interface TileRequest {
  collectionId: string;
  tileMatrixSetId: string;
  tile: TileAddress;
  /** Default: the collection's first format. */
  format?: ImageFormat;
  /** Fields given here replace the collection's default style field by field. */
  style?: StyleParams;
  resampling?: Resampling;
  /** Output size in pixels; default the matrix tile size. */
  tileSize?: number;
  /** Or a multiple of the matrix tile size ("@2x" → 2). */
  scale?: number;
}

export type TileResponse =
  | { kind: 'image'; bytes: Uint8Array; contentType: string; format: ImageFormat; empty: boolean }
  | { kind: 'no-content'; format: ImageFormat };

/** A pixel of a tile: column `i` and row `j` from the tile's top-left pixel (WMTS 1.0 I and J). */
export interface TilePixel {
  i: number;
  j: number;
}

/** Raw values of one pixel of a tile ("no data here" is a value, DESIGN.md rule 4). */
export type PixelValuesResponse = {
  /** The pixel centre in the tile matrix set's CRS (engine order: x east, y north) and in OGC:CRS84. */
  crsPoint: [number, number];
  crs: string;
  lonLat: [number, number];
  dataType: string;
} & (
  | { kind: 'values'; values: number[]; alpha: number }
  | { kind: 'empty' }
);

export class TileService {
  constructor(
    private readonly collections: TileCollections,
    private readonly registry: TileMatrixSetRegistry,
    private readonly renderer: TileRenderer,
  ) {}

  /** Validates a request without rendering (so faces can answer 4xx before any work). */
  resolve(req: TileRequest) {
    const collection = this.collections.get(req.collectionId);
    if (!collection.info.tileMatrixSets.some((t) => t.tileMatrixSetId === req.tileMatrixSetId)) {
      throw new NotFoundError('tileMatrixSet', `collection "${collection.id}" is not offered in tile matrix set "${req.tileMatrixSetId}" (offered: ${collection.info.tileMatrixSets.map((t) => t.tileMatrixSetId).join(', ')})`);
    }
    const tileMatrixSet = this.registry.get(req.tileMatrixSetId);
    const matrix = assertValidTile(tileMatrixSet, req.tile);
    const format = req.format ?? collection.formats[0]!;
    if (!collection.formats.includes(format)) {
      throw new InvalidParameterError('format', `collection "${collection.id}" is not offered as ${format} (offered: ${collection.formats.join(', ')})`);
    }
    const style: StyleParams = { ...collection.style, ...definedFields(req.style ?? {}) };
    checkStyle(style, collection.info.bandCount);
    const tileSize = req.tileSize ?? (req.scale !== undefined && req.scale !== 1 ? req.scale * matrix.tileWidth : undefined);
    if (tileSize !== undefined && (!Number.isInteger(tileSize) || tileSize < 1 || tileSize > 4 * matrix.tileWidth)) {
      throw new InvalidParameterError('tileSize', `tile size ${tileSize} is not between 1 and ${4 * matrix.tileWidth}`);
    }
    return { collection, tileMatrixSet, matrix, format, style, resampling: req.resampling ?? collection.resampling, tileSize };
  }

  async render(req: TileRequest, signal?: AbortSignal): Promise<TileResponse> {
    const r = this.resolve(req);
    const result = await this.renderer.renderTile({
      sources: r.collection.sources, tileMatrixSet: r.tileMatrixSet, tile: req.tile, resampling: r.resampling,
      style: r.style, format: r.format, ...(r.tileSize ? { tileSize: r.tileSize } : {}),
    }, signal);
    if (result.kind === 'image') return { kind: 'image', bytes: result.bytes, contentType: result.contentType, format: r.format, empty: false };
    if (r.collection.emptyTile === '204') return { kind: 'no-content', format: r.format };
    return { kind: 'image', bytes: await this.renderer.blank(r.format, result.width, result.height), contentType: contentTypes[r.format], format: r.format, empty: true };
  }

  /**
   * The raw value of every band at one pixel of a tile (WMTS 1.0 GetFeatureInfo, 07-057r7
   * §7.3): the sources warped with nearest resampling onto the tile's whole grid, the same
   * grid, overview choice and coordinates the tile's own render uses, so the answer is the
   * value under that pixel of the tile (not of a differently aligned 1x1 grid). Paletted
   * sources answer the palette's RGB, as the engine expands palettes before resampling.
   */
  async pixelValues(req: TileRequest, pixel: TilePixel, signal?: AbortSignal): Promise<PixelValuesResponse> {
    const r = this.resolve(req);
    const grid = tileGrid(r.tileMatrixSet, req.tile);
    if (!Number.isInteger(pixel.i) || pixel.i < 0 || pixel.i >= grid.width) {
      throw new PixelOutOfRangeError('I', `I ${pixel.i} is outside 0..${grid.width - 1} of a ${grid.width}-pixel wide tile`);
    }
    if (!Number.isInteger(pixel.j) || pixel.j < 0 || pixel.j >= grid.height) {
      throw new PixelOutOfRangeError('J', `J ${pixel.j} is outside 0..${grid.height - 1} of a ${grid.height}-pixel high tile`);
    }
    const [minX, , maxX, maxY] = grid.crsBounds;
    const res = (maxX - minX) / grid.width;
    const resY = (maxY - grid.crsBounds[1]) / grid.height;
    const crsPoint: [number, number] = [minX + (pixel.i + 0.5) * res, maxY - (pixel.j + 0.5) * resY];
    const lonLat = getTransformer(grid.crs, getCrs('OGC:CRS84')).forward(crsPoint[0], crsPoint[1]);
    const raster = await this.renderer.warp(r.collection.sources, grid, 'nearest', signal);
    const k = pixel.j * grid.width + pixel.i;
    const where = { crsPoint, crs: grid.crs.id, lonLat, dataType: raster?.dataType ?? 'unknown' };
    if (!raster || raster.alpha[k] === 0) return { ...where, kind: 'empty' };
    return { ...where, kind: 'values', values: raster.bands.map((b) => Number(b[k])), alpha: raster.alpha[k]! };
  }
}

function definedFields<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
