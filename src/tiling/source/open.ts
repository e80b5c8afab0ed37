import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidParameterError } from '../../errors.js';
import type { ByteSource } from './bytesource.js';
import { FileSource } from './file.js';
import { HttpSource, type HttpSourceOptions } from './http.js';
import { createS3Source, type S3Options } from './s3.js';

export interface SourceOptions {
  http?: HttpSourceOptions;
  s3?: S3Options;
}

/** Picks the byte source for a location: a path, file://, http(s):// or s3:// URL. */
export function openByteSource(location: string, options: SourceOptions = {}): ByteSource {
  if (/^https?:\/\//i.test(location)) return new HttpSource(location, options.http);
  if (/^s3:\/\//i.test(location)) return createS3Source(location, options.s3, options.http);
  if (/^file:\/\//i.test(location)) return new FileSource(fileURLToPath(location));
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(location)) {
    throw new InvalidParameterError('url', `unsupported URL scheme in ${location} (use a path, file://, http(s):// or s3://)`);
  }
  return new FileSource(isAbsolute(location) ? location : resolve(location));
}
