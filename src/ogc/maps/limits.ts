/**
 * Size limits of a map (documented in README "OGC API - Maps"): each side at most
 * MAX_MAP_SIDE pixels and the image at most MAX_MAP_PIXELS pixels; without width and height
 * the longer side is DEFAULT_MAP_SIDE. Larger requests are 400, naming the limit, before any
 * work: a map's RGBA image and its float bands are held in memory while it renders.
 */
export const MAX_MAP_SIDE = 8192;
export const MAX_MAP_PIXELS = 4096 * 4096;
export const DEFAULT_MAP_SIDE = 1024;
