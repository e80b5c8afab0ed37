import aws4 from 'aws4';
import { InvalidParameterError } from '../../errors.js';
import { HttpSource, type HttpSourceOptions } from './http.js';

/** S3 settings, from configuration (never from the environment directly: see config.ts). */
export interface S3Options {
  region?: string;
  /** e.g. "http://127.0.0.1:9000" for MinIO; default AWS: https://s3.<region>.amazonaws.com */
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Path-style URLs (endpoint/bucket/key); default true with a custom endpoint. */
  forcePathStyle?: boolean;
}

/**
 * `s3://bucket/key` read with signed (AWS Signature V4, via the aws4 library) range
 * requests; anonymous when no credentials are configured (public buckets).
 */
export function createS3Source(url: string, s3: S3Options = {}, http: HttpSourceOptions = {}): HttpSource {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m) throw new InvalidParameterError('url', `not an s3:// URL: ${url}`);
  const bucket = m[1]!, key = m[2]!;
  const region = s3.region ?? 'us-east-1';
  const pathStyle = s3.forcePathStyle ?? Boolean(s3.endpoint);
  const endpoint = new URL(s3.endpoint ?? `https://s3.${region}.amazonaws.com`);
  const encodedKey = key.split('/').map(encodeURIComponent).join('/');
  const requestUrl = pathStyle
    ? new URL(`${endpoint.origin}/${bucket}/${encodedKey}`)
    : new URL(`${endpoint.protocol}//${bucket}.${endpoint.host}/${encodedKey}`);
  const credentials = s3.accessKeyId && s3.secretAccessKey
    ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, ...(s3.sessionToken ? { sessionToken: s3.sessionToken } : {}) }
    : undefined;
  const sign = (u: URL, headers: Record<string, string>): Record<string, string> =>
    credentials ? signS3Get(u, headers, region, credentials) : headers;
  return new HttpSource(url, http, requestUrl, sign);
}

/** Signs a GET with AWS Signature Version 4 (aws4 library); returns the headers to send. */
export function signS3Get(
  url: URL, headers: Record<string, string>, region: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Record<string, string> {
  const signed = aws4.sign({ host: url.host, path: url.pathname + url.search, method: 'GET', service: 's3', region, headers: { ...headers } }, credentials);
  return signed.headers as Record<string, string>;
}
