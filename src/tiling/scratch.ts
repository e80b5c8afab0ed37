/**
 * Recycled per-tile buffers (coordinate maps, warped bands, RGBA, PNG filter rows), per thread.
 *
 * A tile allocates a few MB of typed arrays that live for one render. V8 counts them as
 * external memory and starts a full mark-compact every ~64 MB of it: about every 10 tiles,
 * 1–2 ms each plus incremental marking. Handing the same arrays back cuts that garbage.
 * Only code that owns an array to the end (Engine.renderTile, encodePng, buildCoordMap)
 * recycles it; any other array is simply left to the garbage collector.
 */
type AnyTypedArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** Arrays kept per type and length: enough for the tiles a thread has in flight. */
const KEEP = 8;
const free = new Map<unknown, Map<number, AnyTypedArray[]>>();

/** A zero-filled array of `length` elements: recycled when one is free, else new. */
export function takeZeroed<T extends AnyTypedArray>(Ctor: new (length: number) => T, length: number): T {
  const a = free.get(Ctor)?.get(length)?.pop() as T | undefined;
  if (!a) return new Ctor(length);
  a.fill(0);
  return a;
}

/** An array of `length` elements with any content, for a caller that writes every element. */
export function take<T extends AnyTypedArray>(Ctor: new (length: number) => T, length: number): T {
  return (free.get(Ctor)?.get(length)?.pop() as T | undefined) ?? new Ctor(length);
}

/** Hands arrays back for reuse; the caller must not touch them afterwards. Views of a larger buffer are not kept. */
export function recycle(...arrays: readonly (AnyTypedArray | undefined)[]): void {
  for (const a of arrays) {
    if (!a || a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength || a.buffer instanceof SharedArrayBuffer) continue;
    let byLength = free.get(a.constructor);
    if (!byLength) free.set(a.constructor, (byLength = new Map()));
    let list = byLength.get(a.length);
    if (!list) byLength.set(a.length, (list = []));
    if (list.length < KEEP && !list.includes(a)) list.push(a);
  }
}
