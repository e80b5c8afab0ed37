import type { Redis } from 'ioredis';
import { tileLonLatBounds, type TileAddress, type TileMatrixSet } from '../tilematrixsets/index.js';

/** An operator's purge: every tile of the collection in the zoom range and bounding box gets a new key. */
export interface PurgeRecord {
  seq: number;
  collectionId: string;
  /** Tile matrix ids (numeric) from/to; absent = all. */
  minZoom?: number;
  maxZoom?: number;
  /** [west, south, east, north] in degrees; absent = everywhere. */
  bbox?: [number, number, number, number];
  at: string;
}

/**
 * Purges without enumerating cache entries: each purge is a numbered record, and a tile's key
 * includes the highest record number that covers it, so covered tiles get new keys (and new
 * ETags, so CDNs and browsers refetch) on every node at once while the rest stay cached. With
 * Redis the records are shared (a list plus a pub/sub channel); without, they are per process.
 */
export class PurgeRegistry {
  readonly #records: PurgeRecord[] = [];
  readonly #byCollection = new Map<string, PurgeRecord[]>();
  #localSeq = 0;
  #subscriber: Redis | undefined;

  constructor(private readonly redis?: Redis, private readonly prefix = 'tilewright:') {}

  /** Loads the shared records and follows new ones (no-op without Redis; failures leave it local). */
  async start(): Promise<void> {
    if (!this.redis) return;
    try {
      for (const text of await this.redis.lrange(`${this.prefix}purges`, 0, -1)) this.#apply(JSON.parse(text) as PurgeRecord);
      this.#subscriber = this.redis.duplicate({ enableOfflineQueue: true });
      this.#subscriber.on('error', () => undefined);
      this.#subscriber.on('message', (_channel: string, text: string) => this.#apply(JSON.parse(text) as PurgeRecord));
      await this.#subscriber.subscribe(`${this.prefix}purge`);
    } catch {
      // Redis is down: purges stay local until the next start; tiles are still served.
    }
  }

  /** Records a purge (shared through Redis when there is one) and returns it. */
  async add(purge: Omit<PurgeRecord, 'seq' | 'at'>): Promise<PurgeRecord> {
    const seq = this.redis ? await this.redis.incr(`${this.prefix}purges:seq`) : ++this.#localSeq;
    const record: PurgeRecord = { ...purge, seq, at: new Date().toISOString() };
    this.#apply(record);
    if (this.redis) {
      const text = JSON.stringify(record);
      await this.redis.multi().rpush(`${this.prefix}purges`, text).ltrim(`${this.prefix}purges`, -10_000, -1).publish(`${this.prefix}purge`, text).exec();
    }
    return record;
  }

  /** How many purge records this node knows: changes whenever one arrives (for memos of seqFor). */
  get generation(): number {
    return this.#records.length;
  }

  /** The highest purge number covering the tile (0 when none). */
  seqFor(collectionId: string, tms: TileMatrixSet, tile: TileAddress): number {
    const records = this.#byCollection.get(collectionId);
    if (!records) return 0;
    let seq = 0;
    let lonLat: { minX: number; minY: number; maxX: number; maxY: number } | undefined;
    const z = Number(tile.tileMatrix);
    for (const r of records) {
      if (r.seq <= seq) continue;
      if (r.minZoom !== undefined && !(z >= r.minZoom)) continue;
      if (r.maxZoom !== undefined && !(z <= r.maxZoom)) continue;
      if (r.bbox) {
        lonLat ??= tileLonLatBounds(tms, tile);
        const [w, s, e, n] = r.bbox;
        const crosses = lonLat.minX > lonLat.maxX;
        const xOverlap = crosses ? w < lonLat.maxX || e > lonLat.minX : w < lonLat.maxX && e > lonLat.minX;
        if (!(xOverlap && s < lonLat.maxY && n > lonLat.minY)) continue;
      }
      seq = r.seq;
    }
    return seq;
  }

  get records(): readonly PurgeRecord[] {
    return this.#records;
  }

  #apply(r: PurgeRecord): void {
    if (this.#records.some((x) => x.seq === r.seq)) return;
    this.#records.push(r);
    this.#localSeq = Math.max(this.#localSeq, r.seq);
    const list = this.#byCollection.get(r.collectionId) ?? [];
    list.push(r);
    this.#byCollection.set(r.collectionId, list);
  }

  async close(): Promise<void> {
    this.#subscriber?.disconnect();
  }
}
