/**
 * Compositing of styled RGBA images (straight, not premultiplied, alpha): how a map or a
 * dataset tile stacks collections whose band layouts differ (a DEM under colour map over an
 * RGB image). Porter–Duff "over" (Porter & Duff 1984, "Compositing Digital Images"), the
 * rule a browser applies when it draws one transparent PNG over another.
 */

/** `top` over `bottom`, in place into `bottom`, which it returns. Both are width·height·4 bytes. */
export function compositeOver(top: Uint8Array, bottom: Uint8Array): Uint8Array {
  for (let o = 0; o < top.length; o += 4) {
    const at = top[o + 3]!;
    if (at === 0) continue;
    const ab = bottom[o + 3]!;
    if (at === 255 || ab === 0) {
      bottom[o] = top[o]!; bottom[o + 1] = top[o + 1]!; bottom[o + 2] = top[o + 2]!; bottom[o + 3] = at;
      continue;
    }
    const ft = at / 255, fb = (ab / 255) * (1 - ft), fa = ft + fb;
    for (let c = 0; c < 3; c++) bottom[o + c] = Math.round((top[o + c]! * ft + bottom[o + c]! * fb) / fa);
    bottom[o + 3] = Math.round(fa * 255);
  }
  return bottom;
}

/** True when every pixel is fully opaque (nothing under it can show through). */
export function isOpaque(rgba: Uint8Array): boolean {
  for (let o = 3; o < rgba.length; o += 4) if (rgba[o] !== 255) return false;
  return true;
}
