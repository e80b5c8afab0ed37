import fs from 'node:fs';
import { Engine } from './dist/src/tiling/engine.js';
import { planRead, pixelMapper } from './dist/src/tiling/warp/plan.js';
import { buildCoordMap } from './dist/src/tiling/coords.js';
import { getTransformer } from './dist/src/crs/index.js';
import { createDefaultRegistry, tileForCrsPoint } from './dist/src/tilematrixsets/index.js';
import { SourceToSet } from './dist/test/accuracy/tiles.js';
const reg = createDefaultRegistry();
const D = '/work/shared/data/cog/';
const files = fs.readdirSync(D).filter(f => /\.tiff?$/.test(f));
const steps = process.argv.slice(2).map(Number);
let seed = 7; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const engine = new Engine({ maxError: 0 });
const worst = Object.fromEntries(steps.map(s => [s, { err: 0, flips: 0, nanFilled: 0, lost: 0, pts: 0, where: '' }]));
let tiles = 0;
for (const f of files) {
  let cog; try { ({ cog } = await engine.open(D + f)); } catch (e) { console.log('skip', f, e.message.slice(0, 60)); continue; }
  for (const tmsId of ['WebMercatorQuad', 'WorldCRS84Quad', 'EuropeanETRS89_LAEAQuad', 'UPSAntarcticWGS84Quad', 'UTM32WGS84Quad']) {
    let tms; try { tms = reg.get(tmsId); } catch { continue; }
    let s2s; try { s2s = new SourceToSet(cog, tms); } catch { continue; }
    for (let z = 0; z < tms.tileMatrices.length; z += 1) {
      for (let k = 0; k < 3; k++) {
        const [x, y] = s2s.toSet(rnd() * cog.width, rnd() * cog.height);
        if (!Number.isFinite(x)) continue;
        const tile = tileForCrsPoint(tms, tms.tileMatrices[z].id, x, y); if (!tile) continue;
        const grid = engine.tileGrid(tms, tile);
        let plan; try { plan = planRead(cog, grid, { maxError: 0, resampling: 'nearest' }); } catch (e) { continue; }
        if (!plan) continue;
        const toSource = getTransformer(grid.crs, cog.crs); if (toSource.identity) continue;
        const map = pixelMapper(cog, cog.levels[plan.level].geoTransform, grid, toSource);
        const ex = plan.coords; tiles++;
        for (const s of steps) {
          const m = buildCoordMap(grid.width, grid.height, map, 0.01, undefined, s);
          let err = 0, flips = 0, nf = 0, lost = 0;
          for (let i = 0; i < ex.x.length; i++) {
            const a = ex.x[i], b = ex.y[i], c = m.x[i], d = m.y[i];
            if (!Number.isFinite(a) || !Number.isFinite(b)) { if (Number.isFinite(c) || Number.isFinite(d)) nf++; continue; }
            if (!Number.isFinite(c) || !Number.isFinite(d)) { lost++; continue; }
            err = Math.max(err, Math.abs(a - c), Math.abs(b - d));
            if (Math.floor(a) !== Math.floor(c) || Math.floor(b) !== Math.floor(d)) flips++;
          }
          const w = worst[s]; w.pts += m.exactPoints; w.flips += flips; w.nanFilled += nf; w.lost += lost;
          if (err > w.err) { w.err = err; w.where = `${f} ${tmsId} ${tile.tileMatrix}/${tile.row}/${tile.col}`; }
        }
      }
    }
  }
}
console.log('tiles', tiles);
for (const s of steps) { const w = worst[s]; console.log(`step ${s}: max err ${w.err.toFixed(5)} at ${w.where}; flips ${w.flips}; nanFilled ${w.nanFilled}; lost ${w.lost}; exact pts/tile ${(w.pts / tiles).toFixed(1)}`); }
