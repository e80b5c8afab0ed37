/**
 * Every file of the shared corpus, every IFD (full resolution, overviews, masks): first, middle
 * and last non-empty block of each, every sample compared with GDAL 3.6.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { before, describe, it } from 'mocha';
import { Compression } from '../../src/tiling/decode/index.js';
import { CORPUS_DIR, requireGdal } from './helpers/gdal.js';
import { checkFileAgainstGdal, describeReport } from './helpers/oracle.js';

const files = readdirSync(CORPUS_DIR)
  .filter((f) => /\.tiff?$/i.test(f))
  .sort();

describe('decode: corpus blocks match GDAL', function () {
  before(function () {
    requireGdal(this);
  });

  it('finds the 32 corpus files', function () {
    expect(files).to.have.length(32);
  });

  for (const file of files) {
    it(file, async function () {
      const report = await checkFileAgainstGdal(CORPUS_DIR + file);
      console.log(`      ${file}: ${describeReport(report)}`);
      expect(report.failures, report.failures.slice(0, 5).join('\n')).to.deep.equal([]);
      expect(report.blocks).to.be.greaterThan(0);
      if (report.maxDiff.has(Compression.Jpeg) || report.maxDiff.has(Compression.Webp)) {
        expect(report.maxDiff.get(Compression.Jpeg) ?? 0).to.equal(0);
        expect(report.maxDiff.get(Compression.Webp) ?? 0).to.equal(0);
      }
    });
  }
});
