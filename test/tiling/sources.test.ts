import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { FileSource } from '../../src/tiling/source/file.js';
import { HttpSource } from '../../src/tiling/source/http.js';
import { MemorySource } from '../../src/tiling/source/memory.js';
import { CachedSource, ChunkCache } from '../../src/tiling/source/cached.js';
import { createS3Source, signS3Get } from '../../src/tiling/source/s3.js';
import { openByteSource } from '../../src/tiling/source/open.js';
import { AbortedError, InvalidParameterError, SourceReadError } from '../../src/errors.js';
import { CORPUS } from '../helpers/services.js';

const sample = readFileSync(CORPUS + 'cog_rgba.tif');

describe('byte sources', () => {
  describe('FileSource', () => {
    it('reads exact ranges, short at the end of the file', async () => {
      const src = new FileSource(CORPUS + 'cog_rgba.tif');
      expect(Buffer.from(await src.read(100, 50)).equals(sample.subarray(100, 150))).to.equal(true);
      const tail = await src.read(sample.length - 10, 100);
      expect(tail.length).to.equal(10);
      await src.close();
    });
    it('changes version when the file is rewritten', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tw-src-'));
      const p = join(dir, 'a.bin');
      writeFileSync(p, 'hello');
      const src = new FileSource(p);
      const v1 = (await src.stat()).version;
      writeFileSync(p, 'hello world');
      utimesSync(p, new Date(), new Date(Date.now() + 5000));
      const s2 = await src.stat();
      expect(s2.version).to.not.equal(v1);
      expect(s2.size).to.equal(11);
    });
    it('reports a missing file as SourceReadError', async () => {
      let err: unknown;
      await new FileSource('/nonexistent/x.tif').stat().catch((e) => { err = e; });
      expect(err).to.be.instanceOf(SourceReadError);
    });
  });

  describe('HttpSource (real HTTP server on loopback)', () => {
    let server: Server;
    let base = '';
    const requests: string[] = [];
    before(async () => {
      server = createServer((req, res) => {
        requests.push(`${req.url} ${req.headers.range ?? ''}`);
        if (req.url === '/stall.tif') return; // never answers
        if (req.url === '/missing.tif') { res.writeHead(404).end(); return; }
        const range = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
        if (req.url === '/norange.tif' || !range) {
          res.writeHead(200, { 'content-length': sample.length, etag: '"v1"' }).end(sample);
          return;
        }
        const a = Number(range[1]), b = Math.min(Number(range[2]), sample.length - 1);
        res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${sample.length}`, etag: '"v1"' }).end(sample.subarray(a, b + 1));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => { server.closeAllConnections(); server.close(); });

    it('stat gives size and ETag version; read uses ranges', async () => {
      const src = new HttpSource(`${base}/a.tif`);
      expect(await src.stat()).to.deep.equal({ size: sample.length, version: '"v1"' });
      requests.length = 0;
      const bytes = await src.read(1000, 500);
      expect(Buffer.from(bytes).equals(sample.subarray(1000, 1500))).to.equal(true);
      expect(requests).to.deep.equal(['/a.tif bytes=1000-1499']);
    });
    it('copes with a server that ignores Range', async () => {
      const src = new HttpSource(`${base}/norange.tif`);
      expect((await src.stat()).size).to.equal(sample.length);
      expect(Buffer.from(await src.read(10, 20)).equals(sample.subarray(10, 30))).to.equal(true);
    });
    it('turns HTTP errors and timeouts into SourceReadError, and aborts promptly', async () => {
      let err: unknown;
      await new HttpSource(`${base}/missing.tif`).read(0, 10).catch((e) => { err = e; });
      expect(err).to.be.instanceOf(SourceReadError);
      expect((err as Error).message).to.contain('HTTP 404');
      err = undefined;
      await new HttpSource(`${base}/stall.tif`, { timeoutMs: 200 }).read(0, 10).catch((e) => { err = e; });
      expect(err).to.be.instanceOf(SourceReadError);
      expect((err as Error).message).to.contain('timed out');
      const ac = new AbortController();
      const p = new HttpSource(`${base}/stall.tif`, { timeoutMs: 60_000 }).read(0, 10, ac.signal);
      setTimeout(() => ac.abort(), 50);
      err = undefined;
      await p.catch((e) => { err = e; });
      expect(err).to.be.instanceOf(AbortedError);
    });
  });

  describe('S3 signing', () => {
    it('reproduces the GET examples of the AWS Signature V4 documentation for S3', () => {
      // Published test vectors ("GET Bucket Lifecycle", "Get Bucket (List Objects)") of the S3 API
      // reference. aws4 leaves Range unsigned (AWS allows it), so the vectors without Range apply.
      const cases: [string, string][] = [
        ['https://examplebucket.s3.amazonaws.com/?lifecycle', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543'],
        ['https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'],
      ];
      for (const [url, signature] of cases) {
        const headers = signS3Get(new URL(url), {
          'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'x-amz-date': '20130524T000000Z',
        }, 'us-east-1', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
        expect(headers['Authorization']).to.equal('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, '
          + `SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${signature}`);
      }
    });
  });

  // s3rver implements the S3 REST API (buckets, objects, ranges, ETags, access key ids) but does
  // not recompute V4 signatures; the signature itself is checked against AWS's vector above.
  describe('S3 (s3rver, an S3 API implementation on loopback)', () => {
    let s3: S3rver;
    let endpoint = '';
    before(async function () {
      this.timeout(20_000);
      const dir = mkdtempSync(join(tmpdir(), 'tw-s3-'));
      s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'imagery', configs: [] }] });
      const addr = await s3.run();
      endpoint = `http://127.0.0.1:${addr.port}`;
      // Upload through the S3 API itself (a signed PUT).
      const { default: aws4 } = await import('aws4');
      const url = new URL(`${endpoint}/imagery/dir/a%20b.tif`);
      const req = aws4.sign({ host: url.host, path: url.pathname, method: 'PUT', service: 's3', region: 'us-east-1', body: sample, headers: { 'content-type': 'image/tiff' } },
        { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
      const res = await fetch(url, { method: 'PUT', headers: req.headers as Record<string, string>, body: sample });
      expect(res.status).to.equal(200);
    });
    after(async () => { await s3?.close(); });

    it('reads ranges with signed requests', async () => {
      const src = createS3Source('s3://imagery/dir/a b.tif', { endpoint, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' });
      const st = await src.stat();
      expect(st.size).to.equal(sample.length);
      expect(st.version).to.match(/^"/);
      expect(Buffer.from(await src.read(4096, 1024)).equals(sample.subarray(4096, 5120))).to.equal(true);
    });
    it('fails clearly with unknown credentials', async () => {
      const src = createS3Source('s3://imagery/dir/a b.tif', { endpoint, accessKeyId: 'NOBODY', secretAccessKey: 'wrong' });
      let err: unknown;
      await src.read(0, 10).catch((e) => { err = e; });
      expect(err).to.be.instanceOf(SourceReadError);
      expect((err as Error).message).to.match(/HTTP 403/);
    });
    it('rejects malformed s3 URLs and unknown schemes', () => {
      expect(() => createS3Source('s3://bucket-only')).to.throw(InvalidParameterError);
      expect(() => openByteSource('ftp://host/a.tif')).to.throw(InvalidParameterError);
    });
  });

  describe('CachedSource', () => {
    it('serves small reads from shared chunks and fetches each chunk once', async () => {
      const mem = new MemorySource('mem://a', new Uint8Array(sample));
      const src = new CachedSource(mem, await mem.stat(), new ChunkCache(1 << 20), { chunkSize: 4096 });
      const reads = await Promise.all([src.read(10, 20), src.read(100, 200), src.read(4000, 200)]);
      expect(Buffer.from(reads[2]!).equals(sample.subarray(4000, 4200))).to.equal(true);
      expect(mem.reads).to.equal(2); // chunks 0 and 1, each once, although three readers wanted chunk 0
      await src.read(50, 10);
      expect(mem.reads).to.equal(2);
    });
    it('does not serve old chunks after the source changes version', async () => {
      const mem = new MemorySource('mem://b', new Uint8Array([1, 2, 3, 4]), 'v1');
      const chunks = new ChunkCache(1 << 20);
      const a = new CachedSource(mem, await mem.stat(), chunks, { chunkSize: 4 });
      expect([...await a.read(0, 4)]).to.deep.equal([1, 2, 3, 4]);
      mem.replace(new Uint8Array([9, 9, 9, 9]), 'v2');
      const b = new CachedSource(mem, await mem.stat(), chunks, { chunkSize: 4 });
      expect([...await b.read(0, 4)]).to.deep.equal([9, 9, 9, 9]);
    });
    it('merges nearby ranges into one request and cuts the answers back', async () => {
      const mem = new MemorySource('mem://c', new Uint8Array(sample));
      const src = new CachedSource(mem, await mem.stat(), new ChunkCache(), { mergeGap: 100 });
      const out = await src.readRanges([{ offset: 120, length: 10 }, { offset: 0, length: 10 }, { offset: 50, length: 10 }, { offset: 10_000, length: 5 }]);
      expect(mem.reads).to.equal(2);
      expect(Buffer.from(out[0]!).equals(sample.subarray(120, 130))).to.equal(true);
      expect(Buffer.from(out[2]!).equals(sample.subarray(50, 60))).to.equal(true);
      expect(Buffer.from(out[3]!).equals(sample.subarray(10_000, 10_005))).to.equal(true);
    });
  });
});
