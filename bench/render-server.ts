/**
 * Benchmark-only HTTP front for the render engine (no cache, no framework): GET /{z}/{x}/{y}.png
 * renders that WebMercatorQuad tile of one file through the worker pool, or inline with
 * --workers 0. It lets the benchmark load our engine and MapServer with the same client.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createDefaultRegistry } from '../src/tilematrixsets/index.js';
import { Engine } from '../src/tiling/engine.js';
import { PooledRenderer, type TileRenderer } from '../src/tiling/pooled.js';
import type { Resampling } from '../src/tiling/warp/plan.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' }, file: { type: 'string' }, workers: { type: 'string', default: '2' },
    resampling: { type: 'string', default: 'bilinear' }, style: { type: 'string', default: '{}' },
    native: { type: 'string', default: '1' },
  },
});
const tms = createDefaultRegistry().get('WebMercatorQuad');
const workers = Number(values.workers);
const options = { nativeKernels: values.native !== '0' };
const engine = new Engine(options);
const renderer: TileRenderer = workers > 0 ? new PooledRenderer(workers, options) : engine;
const style = JSON.parse(values.style!);

const server = http.createServer(async (req, res) => {
  const m = /^\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(req.url ?? '');
  if (!m) { res.writeHead(404).end(); return; }
  const ac = new AbortController();
  res.on('close', () => ac.abort());
  try {
    const result = await renderer.renderTile({
      sources: [values.file!], tileMatrixSet: tms, tile: { tileMatrix: m[1]!, row: Number(m[3]), col: Number(m[2]) },
      resampling: values.resampling as Resampling, style, format: 'png',
    }, ac.signal);
    const body = result.kind === 'image' ? result.bytes : await engine.blank('png', result.width, result.height);
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length }).end(body);
  } catch (err) {
    res.writeHead(500).end(String((err as Error).message));
  }
});
server.listen(Number(values.port), '127.0.0.1', () => console.log(`listening ${values.port}`));
process.on('SIGTERM', () => { server.close(); void renderer.close().then(() => process.exit(0)); });
