import { DomainError } from '../../errors.js';
import { compressionLabel } from './types.js';

/**
 * A block could not be decoded: corrupt or truncated data, or a codec failure.
 * The message always names the compression, e.g. `LZW (5) block decoding failed: …`,
 * and `cause` keeps the underlying library error when there is one.
 */
export class BlockDecodeError extends DomainError {
  readonly code: string = 'BlockDecodeError';
  override name = 'BlockDecodeError';
  readonly compression: number;
  constructor(compression: number, detail: string, options?: { cause?: unknown }) {
    super(`${compressionLabel(compression)} block decoding failed: ${detail}`, options);
    this.compression = compression;
  }
}

/** The Compression tag value is not one this decoder knows (e.g. 34712 JPEG 2000). */
export class UnsupportedCompressionError extends BlockDecodeError {
  override readonly code: string = 'UnsupportedFormat';
  override name = 'UnsupportedCompressionError';
  constructor(compression: number) {
    super(compression, `compression ${compressionLabel(compression)} is not supported`);
    this.message = `unsupported TIFF compression ${compressionLabel(compression)}`;
  }
}

/**
 * The codec is supported but not with this sample layout, e.g. horizontal predictor on 4-bit
 * samples (libtiff refuses it too), 12-bit JPEG, or 24-bit floats.
 */
export class UnsupportedSampleLayoutError extends BlockDecodeError {
  override readonly code: string = 'UnsupportedFormat';
  override name = 'UnsupportedSampleLayoutError';
  constructor(compression: number, detail: string) {
    super(compression, detail);
    this.message = `${compressionLabel(compression)}: unsupported sample layout: ${detail}`;
  }
}
