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

/** How long start-up waits for Redis to load the purge records (it goes on without them; they load on connection). */
const START_WAIT_MS = 2000;

/** Raises the purge counter to ARGV[1] when it is lower (Redis restarted without persistence). */
const RAISE_SEQ = `if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end return 0`;

/** INCR of the purge counter, moved past ARGV[1] (the highest number the caller knows) when lower. */
const NEXT_SEQ = `local n = redis.call('INCR', KEYS[1])
local known = tonumber(ARGV[1])
if n <= known then n = known + 1; redis.call('SET', KEYS[1], n) end
return n`;

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

  /**
   * Loads the shared records and follows new ones (no-op without Redis). Redis may be down or
   * still connecting: the subscription waits in ioredis's queue (and is renewed after every
   * reconnection), and every (re)connection loads the list again, so records published while
   * this node was away arrive too. Start-up waits for the first load at most START_WAIT_MS.
   */
  async start(): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    const load = async () => {
      try {
        for (const text of await redis.lrange(`${this.prefix}purges`, 0, -1)) this.#applyText(text);
        // A counter Redis lost would hand out numbers nodes already hold (and ignore), also to
        // `tilewright purge`, which knows none: every node puts it back past what it knows.
        if (this.#localSeq > 0) await redis.eval(RAISE_SEQ, 1, `${this.prefix}purges:seq`, this.#localSeq);
      } catch {
        // Down again: the next connection loads.
      }
    };
    let loaded = () => {};
    const firstLoad = new Promise<void>((resolve) => { loaded = resolve; });
    redis.on('ready', () => void load().then(loaded));
    // Unlike the tile client, the subscriber queues its command while Redis is away, for as long as it takes.
    this.#subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
    this.#subscriber.on('error', () => undefined);
    this.#subscriber.on('message', (_channel: string, text: string) => this.#applyText(text));
    // A record published between a load and the subscription taking effect is caught by
    // loading again once subscribed (also after every reconnection of the subscriber).
    this.#subscriber.on('ready', () => void load());
    this.#subscriber.subscribe(`${this.prefix}purge`).then(() => load(), () => undefined);
    if (redis.status === 'ready') {
      await load();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([firstLoad, new Promise<void>((resolve) => { timer = setTimeout(resolve, START_WAIT_MS); })]);
    clearTimeout(timer);
  }

  /** Records a purge (shared through Redis when there is one) and returns it. */
  async add(purge: Omit<PurgeRecord, 'seq' | 'at'>): Promise<PurgeRecord> {
    // Past every number this node knows, even when Redis lost its counter (restarted without
    // persistence): a reused number would be ignored by nodes that hold the old record.
    const seq = this.redis
      ? Number(await this.redis.eval(NEXT_SEQ, 1, `${this.prefix}purges:seq`, this.#localSeq))
      : ++this.#localSeq;
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

  #applyText(text: string): void {
    try {
      this.#apply(JSON.parse(text) as PurgeRecord);
    } catch {
      // Not a record of ours: ignored.
    }
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
