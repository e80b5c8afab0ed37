/*
 * Native twins of per-pixel loops outside the warp kernels: styling to RGBA
 * (style/style.ts applyStyle), the PNG "Up" filter (png.ts), the opaque check (encode.ts)
 * and the affine coordinate map (coords.ts). Same arithmetic as the TypeScript code.
 */
#ifndef TILEWRIGHT_PIXELS_H
#define TILEWRIGHT_PIXELS_H

#include <stddef.h>
#include <stdint.h>
#include "kernels.h"

/* One band into channel `channel` of RGBA `out` (or R, G and B through `palette`), by a
 * lookup table (integer types up to 16 bits, index value + offset) or the linear scale
 * ((v - lo) * 255 / span, clamped, rounded half up). Returns -1 for an unsupported type. */
int tw_style_band(uint8_t *out, size_t n, int channel, tw_type type, const void *src,
                  const uint8_t *lut, int offset, double lo, double span, const uint8_t *palette);

/* Alpha into channel 3; pixels without data become transparent black. */
void tw_style_alpha(uint8_t *out, const uint8_t *alpha, size_t n);

/* PNG filter type 2 (Up) on every row of RGBA pixels, writing `channels` (3 drops alpha). */
void tw_png_filter_up(const uint8_t *rgba, int width, int height, int channels, uint8_t *filtered);

/* 1 when every alpha byte of the RGBA pixels is 255. */
int tw_rgba_opaque(const uint8_t *rgba, size_t n);

/* coords.ts buildCoordMap interpolate(): bilinear interpolation of one cell's corners into
 * the pixels of columns c0..c1, rows r0..r1 not yet transformed exactly (exactDone 0). */
void tw_interpolate_cell(double *xs, double *ys, const uint8_t *exactDone, int W, int c0, int c1, int r0, int r1,
                         const double *corners /* tl x,y, tr x,y, bl x,y, br x,y */);

/* Destination pixel centres through two affine steps (coords.ts buildCoordMap, affine case). */
void tw_affine_coords(int W, int H, const double *d, const double *s, double *xs, double *ys);

#endif
