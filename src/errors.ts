/**
 * Protocol-free domain errors (DESIGN.md rule 3). Each protocol face maps them to its own
 * format in one table: e.g. `TileOutOfRangeError` becomes a WMTS 400 `TileOutOfRange`
 * ExceptionReport, an OGC API 404 JSON body and an XYZ 404.
 *
 * A missing thing is a value, a broken thing throws (rule 4): "no data in this tile" is
 * `{kind: 'empty'}`, never one of these.
 */

/** Base class: `code` is stable and machine readable; `message` is safe to show to clients. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The client asked for something malformed: a bad parameter value, an unknown option. */
export class InvalidParameterError extends DomainError {
  readonly code: string = 'InvalidParameterValue';
  constructor(readonly parameter: string, message: string) {
    super(message);
  }
}

/** The tile address is outside the tile matrix (or the matrix does not exist). */
export class TileOutOfRangeError extends DomainError {
  readonly code: string = 'TileOutOfRange';
  constructor(readonly parameter: 'TileMatrix' | 'TileRow' | 'TileCol', message: string) {
    super(message);
  }
}

/**
 * A pixel of a tile outside 0..tileWidth−1 / 0..tileHeight−1 (WMTS 1.0 GetFeatureInfo `I`/`J`,
 * 07-057r7 Table 26 PointIJOutOfRange). An InvalidParameterError so faces without a code of
 * their own answer it as a bad parameter.
 */
export class PixelOutOfRangeError extends InvalidParameterError {
  override readonly code: string = 'PixelOutOfRange';
  constructor(override readonly parameter: 'I' | 'J', message: string) {
    super(parameter, message);
  }
}

/** A named resource (collection, tile matrix set, file) does not exist. */
export class NotFoundError extends DomainError {
  readonly code: string = 'NotFound';
  constructor(readonly resource: string, message: string) {
    super(message);
  }
}

/** The file is a GeoTIFF we cannot place on the earth correctly (GCPs only, RPCs, no georeferencing). */
export class UnsupportedGeoreferencingError extends DomainError {
  readonly code: string = 'UnsupportedGeoreferencing';
}

/** The file is not something the engine can decode (not a TIFF, unsupported compression or layout). */
export class UnsupportedFormatError extends DomainError {
  readonly code: string = 'UnsupportedFormat';
}

/** A source could not be read (I/O failure, HTTP error, timeout). Server-side: a 5xx/502. */
export class SourceReadError extends DomainError {
  readonly code: string = 'SourceReadError';
}

/** The work was cancelled because its caller went away (AbortSignal). */
export class AbortedError extends DomainError {
  readonly code: string = 'Aborted';
  constructor(message = 'aborted') {
    super(message);
  }
}

/** Throws `AbortedError` if the signal has fired. Cheap enough to call between pipeline stages. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError();
}

/**
 * Lets one caller stop waiting on a shared promise when its signal fires, without
 * cancelling the work for the others (shared opens, block loads). Rejects with AbortedError.
 */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(new AbortedError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
