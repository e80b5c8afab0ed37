#!/usr/bin/env node
/**
 * `tilewright` command line: the entry point of the package's `bin`. Each command lives in
 * its own module; this file only dispatches and turns errors into messages and exit codes
 * (1 = the command failed, 2 = it was called wrongly).
 */
import { ConfigError } from '../config.js';
import { DomainError } from '../errors.js';
import { cogifyCommand } from './cogify.js';
import { infoCommand } from './info.js';
import { purgeCommand } from './purge.js';
import { renderCommand } from './render.js';
import { serveCommand } from './serve.js';
import { UsageError } from './args.js';

const USAGE = `Usage: tilewright <command> [options]

Commands:
  serve [DIR|FILE...] [--port N] [--config FILE]
      Serves every GeoTIFF found (folders are searched) as a collection over HTTP, with a map
      viewer at /. With nothing to serve it generates and serves demo data. Port 8080 unless
      --port or TILEWRIGHT_PORT; configuration from --config or TILEWRIGHT_CONFIG.
  render FILE... --tms ID --tile Z/ROW/COL -o OUT
                 [--resampling nearest|bilinear|cubic|lanczos|average] [--bands 1,2,3]
                 [--rescale MIN,MAX]... [--colormap NAME] [--format png|jpeg|webp]
                 [--size 256|512] [--config FILE]
      Renders one tile of a tile matrix set from one or more GeoTIFFs (first file wins
      where they overlap) and writes it to OUT.
  info FILE [--json]
      Prints what the engine understands of a GeoTIFF: CRS, bounds, sizes, overviews,
      bands, data type, nodata, compression, COG layout.
  cogify IN OUT [--compression deflate|zstd|jpeg|webp|none] [--quality 1-100]
                [--tms ID [--zoom-level-strategy upper|auto|lower]] [--resampling R]
                [--blocksize N] [--config FILE]
      Converts a GeoTIFF into a Cloud-Optimized GeoTIFF (tiled, internal overviews, GDAL's
      COG layout), keeping its georeferencing, nodata, mask, alpha and palette. With --tms the
      image is reprojected onto the grid of the tile matrix set (blocks = its tiles) and
      --resampling is the warp kernel; without, it is the overview kernel (average|nearest).
  purge COLLECTION [--zoom MIN-MAX] [--bbox W,S,E,N] [--config FILE]
      Gives every cached tile of the collection in that zoom range and box (degrees) a new
      key on every server sharing the Redis cache (cache.redis.url / TILEWRIGHT_REDIS_URL).
  help
      Shows this text.
`;

const commands: Record<string, (args: string[]) => Promise<void>> = {
  serve: serveCommand,
  render: renderCommand,
  info: infoCommand,
  cogify: cogifyCommand,
  purge: purgeCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`tilewright: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    await command(rest);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`tilewright ${name}: ${err.message}\n(see: tilewright help)\n`);
      return 2;
    }
    if (err instanceof DomainError || err instanceof ConfigError) {
      process.stderr.write(`tilewright ${name}: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`tilewright ${name}: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  // A command that set a failure code itself (serve's supervisor) keeps it.
  process.exitCode = process.exitCode || code;
});
