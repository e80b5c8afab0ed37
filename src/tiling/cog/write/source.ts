/**
 * A GeoTIFF the engine reads, as a `CogRaster` for the writer: full-resolution strips through
 * the engine's own `readWindow` (so every format the engine decodes can be converted), and the
 * source's tags copied verbatim (GeoKeys, model tags, GDAL_NODATA, GDAL_METADATA, ColorMap,
 * ExtraSamples), so any CRS — EPSG or user-defined — and PixelIsPoint survive exactly.
 */
import type { Engine } from '../../engine.js';
import type { CachedSource } from '../../source/cached.js';
import type { Cog } from '../types.js';
import { readWindow } from '../window.js';
import type { GeoTiffTags } from './geotags.js';
import { readFirstIfdTags, type RawTag } from './source-tags.js';
import type { CogRaster } from './writer.js';

const T = {
  Photometric: 262, ColorMap: 320, ExtraSamples: 338,
  ModelPixelScale: 33550, ModelTiepoint: 33922, ModelTransformation: 34264,
  GeoKeyDirectory: 34735, GeoDoubleParams: 34736, GeoAsciiParams: 34737,
  GdalMetadata: 42112, GdalNodata: 42113,
} as const;

/** The raw tags of a source that a copy keeps. */
export interface SourceTags {
  photometric: number;
  colorMap: number[] | undefined;
  extraSamples: number[];
  geoTags: GeoTiffTags;
  gdalMetadata: string | undefined;
  nodataText: string | undefined;
}

export async function readSourceTags(source: CachedSource, signal?: AbortSignal): Promise<SourceTags> {
  const tags = await readFirstIfdTags(source, Object.values(T), signal);
  const nums = (t: RawTag | undefined) => (t && typeof t.values !== 'string' ? t.values : undefined);
  const text = (t: RawTag | undefined) => (t ? String(t.values) : undefined);
  const model = {
    ...(nums(tags.get(T.ModelPixelScale)) ? { modelPixelScale: nums(tags.get(T.ModelPixelScale))! } : {}),
    ...(nums(tags.get(T.ModelTiepoint)) ? { modelTiepoint: nums(tags.get(T.ModelTiepoint))! } : {}),
    ...(nums(tags.get(T.ModelTransformation)) ? { modelTransformation: nums(tags.get(T.ModelTransformation))! } : {}),
  };
  const doubles = nums(tags.get(T.GeoDoubleParams));
  const ascii = text(tags.get(T.GeoAsciiParams));
  return {
    photometric: nums(tags.get(T.Photometric))?.[0] ?? 1,
    colorMap: nums(tags.get(T.ColorMap)),
    extraSamples: nums(tags.get(T.ExtraSamples)) ?? [],
    geoTags: {
      geoKeyDirectory: nums(tags.get(T.GeoKeyDirectory)) ?? [],
      ...(doubles ? { geoDoubleParams: doubles } : {}),
      ...(ascii !== undefined ? { geoAsciiParams: ascii } : {}),
      ...model,
    },
    gdalMetadata: text(tags.get(T.GdalMetadata)),
    nodataText: text(tags.get(T.GdalNodata))?.trim(),
  };
}

/**
 * The full resolution of an opened GeoTIFF as a raster to write, unchanged: same size, bands,
 * data type, georeferencing, nodata, mask, alpha and palette. YCbCr JPEG sources come out as RGB
 * (decoded samples).
 */
export async function cogSourceRaster(engine: Engine, location: string, signal?: AbortSignal): Promise<CogRaster & { cog: Cog; tags: SourceTags }> {
  const { cog, source } = await engine.open(location, signal);
  const tags = await readSourceTags(source, signal);
  const level = cog.levels[0]!;
  const nodata = cog.nodata;
  return {
    cog, tags,
    width: cog.width,
    height: cog.height,
    dataType: cog.dataType,
    bandCount: cog.sampleCount,
    photometric: tags.photometric === 6 ? 2 : tags.photometric,
    extraSamples: tags.extraSamples,
    ...(cog.colorMap && tags.colorMap ? { colorMap: tags.colorMap } : {}),
    ...(nodata !== undefined ? { nodata } : {}),
    ...(tags.nodataText !== undefined ? { nodataText: tags.nodataText } : {}),
    mask: cog.hasMask,
    geoTags: tags.geoTags,
    ...(tags.gdalMetadata !== undefined ? { gdalMetadata: tags.gdalMetadata } : {}),
    async read(y, height, sig) {
      const w = await readWindow(source, engine.blocks, cog, level, { x: 0, y, width: cog.width, height }, sig ?? signal);
      if (!cog.hasMask && w.mask && nodata !== undefined) {
        // Validity carried by the codec (LERC) without an internal mask: nodata there, as GDAL reads it.
        for (let i = 0; i < w.mask.length; i++) if (!w.mask[i]) for (const b of w.bands) b[i] = nodata;
      }
      return { width: cog.width, height, bands: w.bands, ...(cog.hasMask && w.mask ? { mask: w.mask } : {}) };
    },
  };
}
