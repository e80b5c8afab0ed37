/**
 * The protocols the viewer offers, in chooser order. Adding one (WMTS, OGC API - Tiles) is a
 * module implementing `Protocol` and a line here.
 */
import type { Protocol } from './types.js';
import { xyz } from './xyz.js';

export type { Endpoint, Protocol, ProtocolLayer } from './types.js';

export const protocols: readonly Protocol[] = [xyz];

export function findProtocol(id: string | undefined): Protocol | undefined {
  return protocols.find((p) => p.id === id);
}
