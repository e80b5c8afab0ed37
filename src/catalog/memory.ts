import { NotFoundError } from '../errors.js';
import type { Catalog, Collection } from './types.js';

/** The embedded catalog: collections held in memory (built once at start-up). */
export class MemoryCatalog implements Catalog {
  readonly #byId = new Map<string, Collection>();

  constructor(collections: readonly Collection[], private readonly defaultId?: string) {
    for (const c of collections) this.#byId.set(c.id, c);
    if (defaultId !== undefined && !this.#byId.has(defaultId)) {
      throw new NotFoundError('collection', `defaultCollection "${defaultId}" is not one of the collections (${[...this.#byId.keys()].join(', ')})`);
    }
  }

  list(): readonly Collection[] {
    return [...this.#byId.values()];
  }

  get(id: string): Collection {
    const c = this.#byId.get(id);
    if (!c) throw new NotFoundError('collection', `no collection "${id}"`);
    return c;
  }

  tryGet(id: string): Collection | undefined {
    return this.#byId.get(id);
  }

  defaultCollection(): Collection | undefined {
    return this.defaultId !== undefined ? this.#byId.get(this.defaultId) : this.#byId.values().next().value;
  }
}
