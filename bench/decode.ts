/**
 * Block decoding throughput per codec on the shared corpus, in MB/s of decoded output.
 * Prints numbers, asserts nothing. Run: `npx tsc -p . && node dist/bench/decode.js [seconds-per-case]`.
 *
 * Also justifies node:zlib for Deflate: native inflate (sync, and async on the thread pool,
 * one at a time and 4 in flight) against pako (pure JS, a transitive dependency of geotiff).
 * geotiff.js only locates the blocks here, as in the tests.
 */
import { readdirSync } from 'node:fs';
import { inflate, inflateSync } from 'node:zlib';
import { promisify } from 'node:util';
import {
  compressionLabel,
  decodeBlock,
  decodeBlockSync,
  loadWasmCodecs,
  type BlockLayout,
} from '../src/tiling/decode/index.js';
import { CORPUS_DIR } from '../test/decode/helpers/gdal.js';
import { blockRef, readBlockBytes, readIfds } from '../test/decode/helpers/tiff.js';

const inflateAsync = promisify(inflate);
const secondsPerCase = Number(process.argv[2] ?? 1);
const MAX_BLOCKS_PER_IFD = 24;

interface Block {
  bytes: Uint8Array;
  layout: BlockLayout;
  outputBytes: number;
  file: string;
}

async function collect(): Promise<Map<number, Block[]>> {
  const byCodec = new Map<number, Block[]>();
  for (const file of readdirSync(CORPUS_DIR).filter((f) => /\.tiff?$/i.test(f)).sort()) {
    const ifds = await readIfds(CORPUS_DIR + file);
    for (const ifd of ifds) {
      const refs = [];
      for (let i = 0; i < ifd.offsets.length && refs.length < MAX_BLOCKS_PER_IFD; i++) {
        if (Number(ifd.byteCounts[i]) > 0) refs.push(blockRef(ifd, i));
      }
      const bytes = await readBlockBytes(CORPUS_DIR + file, refs);
      refs.forEach((ref, k) => {
        const l = ref.layout;
        const outputBytes = Math.ceil((l.width * l.samplesPerPixel * l.bitsPerSample) / 8) * l.height;
        const list = byCodec.get(l.compression) ?? [];
        list.push({ bytes: bytes[k]!, layout: l, outputBytes, file });
        byCodec.set(l.compression, list);
      });
    }
  }
  return byCodec;
}

/** Run `round` (one pass over all blocks, returning output bytes) for about `seconds`. */
async function measure(round: () => Promise<number> | number, seconds = secondsPerCase): Promise<number> {
  await round(); // warm-up (JIT, wasm and thread-pool start)
  let bytes = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    bytes += await round();
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < seconds);
  return bytes / 1e6 / elapsed;
}

async function inBatches<T>(items: T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

const fmt = (v: number) => v.toFixed(0).padStart(7);

async function main(): Promise<void> {
  await loadWasmCodecs();
  const byCodec = await collect();
  console.log(`Block decoding throughput, MB/s of decoded samples (${secondsPerCase}s per case, node ${process.version})`);
  console.log('codec               blocks   in MB  out MB   decodeBlock  ×4 in flight  decodeBlockSync');
  for (const [code, blocks] of [...byCodec].sort((a, b) => a[0] - b[0])) {
    const inMB = blocks.reduce((n, b) => n + b.bytes.length, 0) / 1e6;
    const outMB = blocks.reduce((n, b) => n + b.outputBytes, 0) / 1e6;
    const total = outMB * 1e6;
    const sequential = await measure(async () => {
      for (const b of blocks) await decodeBlock(b.bytes, b.layout);
      return total;
    });
    const parallel = await measure(async () => {
      await inBatches(blocks, 4, (b) => decodeBlock(b.bytes, b.layout));
      return total;
    });
    let sync = '            n/a';
    if (code !== 7 && code !== 50001) {
      sync = `${fmt(
        await measure(() => {
          for (const b of blocks) decodeBlockSync(b.bytes, b.layout);
          return total;
        }),
      )}        `;
    }
    console.log(
      `${compressionLabel(code).padEnd(18)} ${String(blocks.length).padStart(7)} ${inMB.toFixed(2).padStart(7)} ${outMB.toFixed(2).padStart(7)}   ${fmt(sequential)}       ${fmt(parallel)}        ${sync}`,
    );
  }
  console.log('PACKBITS: not in the corpus (covered by the synthetic tests only)');

  // Deflate alone: inflate only, the same blocks, four implementations.
  const deflate = [...(byCodec.get(8) ?? []), ...(byCodec.get(32946) ?? [])];
  const total = deflate.reduce((n, b) => n + b.outputBytes, 0);
  console.log(`\nInflate only, ${deflate.length} DEFLATE blocks (${(total / 1e6).toFixed(1)} MB out), MB/s:`);
  const zsync = await measure(() => {
    for (const b of deflate) inflateSync(b.bytes);
    return total;
  });
  const zasync = await measure(async () => {
    for (const b of deflate) await inflateAsync(b.bytes);
    return total;
  });
  const zasync4 = await measure(async () => {
    await inBatches(deflate, 4, (b) => inflateAsync(b.bytes));
    return total;
  });
  console.log(`  node:zlib inflateSync            ${fmt(zsync)}   (baseline 1.00)`);
  console.log(`  node:zlib inflate (async)        ${fmt(zasync)}   (${(zasync / zsync).toFixed(2)}×)`);
  console.log(`  node:zlib inflate (async, ×4)    ${fmt(zasync4)}   (${(zasync4 / zsync).toFixed(2)}×)`);
  try {
    const pako = (await import('pako' as string)) as { inflate(data: Uint8Array): Uint8Array };
    const p = await measure(() => {
      for (const b of deflate) pako.inflate(b.bytes);
      return total;
    });
    console.log(`  pako.inflate (pure JS)           ${fmt(p)}   (${(p / zsync).toFixed(2)}×)`);
  } catch {
    console.log('  pako not installed: skipped');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
