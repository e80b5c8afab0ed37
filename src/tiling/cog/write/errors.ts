import { DomainError } from '../../../errors.js';

/**
 * A COG cannot be written as asked: a codec that does not fit the data (JPEG for 16-bit
 * samples), a CRS that has no GeoKeys encoding, a tile matrix set the writer cannot follow.
 * The message names the input and the rule; the CLI prints it and exits 1.
 */
export class CogWriteError extends DomainError {
  readonly code: string = 'CogWriteError';
}
