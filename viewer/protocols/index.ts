/**
 * The protocols the viewer offers, in chooser order. Adding one is a module implementing
 * `Protocol` and a line here.
 */
import { ogcapiTiles } from './ogcapi.js';
import type { Protocol } from './types.js';
import { wmts, wmtsCrs84 } from './wmts.js';
import { xyz } from './xyz.js';

export type { CopyableUrl, Endpoint, MapProjection, Protocol, ProtocolLayer } from './types.js';

export const protocols: readonly Protocol[] = [xyz, wmts, wmtsCrs84, ogcapiTiles];

export function findProtocol(id: string | undefined): Protocol | undefined {
  return protocols.find((p) => p.id === id);
}
