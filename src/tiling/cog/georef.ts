import { UnsupportedGeoreferencingError } from '../../errors.js';

/**
 * GDAL-style affine geotransform: x = gt[0] + col*gt[1] + row*gt[2],
 * y = gt[3] + col*gt[4] + row*gt[5], with (col, row) the pixel CORNER coordinates
 * ((0,0) is the top-left corner of the top-left pixel).
 */
export type GeoTransform = readonly [number, number, number, number, number, number];

export interface GeorefTags {
  modelPixelScale?: ArrayLike<number>;
  modelTiepoint?: ArrayLike<number>;
  modelTransformation?: ArrayLike<number>;
  /** GTRasterTypeGeoKey: 1 PixelIsArea (default), 2 PixelIsPoint. */
  rasterType?: number;
  /** True when the file carries RPC coefficients (tag 50844). */
  hasRpc?: boolean;
}

/**
 * Builds the geotransform of the full-resolution image from the GeoTIFF tags
 * (GeoTIFF 1.1, OGC 19-008r4, §7.2 "raster to model transformation").
 *
 * PixelIsPoint: the tie point names the CENTRE of the pixel, so the corner origin moves
 * back half a pixel, as GDAL does by default (GTIFF_POINT_GEO_IGNORE=NO).
 *
 * Files placed only by ground control points (several tie points, no scale) or by RPCs
 * are refused: a polynomial or RPC model would need its own transformer, and guessing
 * would give wrong pixels.
 */
export function geoTransformFromTags(tags: GeorefTags): GeoTransform {
  let gt: [number, number, number, number, number, number];
  const tp = tags.modelTiepoint;
  if (tags.modelTransformation && tags.modelTransformation.length >= 16) {
    const m = tags.modelTransformation;
    gt = [m[3]!, m[0]!, m[1]!, m[7]!, m[4]!, m[5]!];
  } else if (tags.modelPixelScale && tp && tp.length >= 6) {
    if (tp.length > 6) {
      throw new UnsupportedGeoreferencingError(
        `unsupported georeferencing: the file is placed by ${tp.length / 6} ground control points (GCPs); warp it first (e.g. gdalwarp) to a geotransform`);
    }
    const [sx, sy] = [tags.modelPixelScale[0]!, tags.modelPixelScale[1]!];
    const [i, j, , x, y] = [tp[0]!, tp[1]!, tp[2]!, tp[3]!, tp[4]!];
    gt = [x - i * sx, sx, 0, y + j * sy, 0, -sy];
  } else if (tp && tp.length >= 12) {
    throw new UnsupportedGeoreferencingError(
      `unsupported georeferencing: the file is placed by ${Math.floor(tp.length / 6)} ground control points (GCPs) only; warp it first (e.g. gdalwarp) to a geotransform`);
  } else if (tags.hasRpc) {
    throw new UnsupportedGeoreferencingError('unsupported georeferencing: the file is placed by RPC coefficients only; orthorectify it first');
  } else {
    throw new UnsupportedGeoreferencingError('unsupported georeferencing: the file has no geotransform (no ModelPixelScale/ModelTiepoint or ModelTransformation tags)');
  }
  if (gt.some((v) => !Number.isFinite(v)) || gt[1] * gt[5] - gt[2] * gt[4] === 0) {
    throw new UnsupportedGeoreferencingError('unsupported georeferencing: the geotransform is degenerate');
  }
  if (tags.rasterType === 2) {
    gt[0] -= 0.5 * gt[1] + 0.5 * gt[2];
    gt[3] -= 0.5 * gt[4] + 0.5 * gt[5];
  }
  return gt;
}

/**
 * Inverse geotransform, evaluated in the same order as GDAL's GDALInvGeoTransform so that
 * pixel coordinates on exact boundaries round the same way (north-up images take the
 * division form, others the determinant form).
 */
export function invertGeoTransform(gt: GeoTransform): GeoTransform {
  if (gt[2] === 0 && gt[4] === 0 && gt[1] !== 0 && gt[5] !== 0) {
    return [-gt[0] / gt[1], 1 / gt[1], 0, -gt[3] / gt[5], 0, 1 / gt[5]];
  }
  const inv = 1 / (gt[1] * gt[5] - gt[2] * gt[4]);
  return [(gt[2] * gt[3] - gt[0] * gt[5]) * inv, gt[5] * inv, -gt[2] * inv, (-gt[1] * gt[3] + gt[0] * gt[4]) * inv, -gt[4] * inv, gt[1] * inv];
}

export function applyGeoTransform(gt: GeoTransform, col: number, row: number): [number, number] {
  return [gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]];
}

/** The geotransform of an overview of size (w, h) of an image of size (W, H), as GDAL derives it. */
export function overviewGeoTransform(gt: GeoTransform, fullWidth: number, fullHeight: number, width: number, height: number): GeoTransform {
  const fx = fullWidth / width, fy = fullHeight / height;
  return [gt[0], gt[1] * fx, gt[2] * fy, gt[3], gt[4] * fx, gt[5] * fy];
}

/** True when the transform has rotation/shear terms. */
export function isRotated(gt: GeoTransform): boolean {
  return gt[2] !== 0 || gt[4] !== 0;
}

/** Bounds [minX, minY, maxX, maxY] of the image footprint in its own CRS (all four corners). */
export function footprintBounds(gt: GeoTransform, width: number, height: number): [number, number, number, number] {
  const corners = [applyGeoTransform(gt, 0, 0), applyGeoTransform(gt, width, 0), applyGeoTransform(gt, 0, height), applyGeoTransform(gt, width, height)];
  const xs = corners.map((c) => c[0]), ys = corners.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
