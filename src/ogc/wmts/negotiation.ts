/**
 * GetCapabilities parameters (OGC 06-121r3 §7.3, which 07-057r7 §7.1.1 adopts): version
 * negotiation, section selection, update sequence and output format.
 */
import { OwsException } from './exceptions.js';
import type { CapabilitiesParams } from './requests.js';
import { WMTS_VERSION } from './requests.js';

/** 07-057r7 Table 3 (06-121r3 Table 7 plus Themes). */
export const SECTIONS = ['ServiceIdentification', 'ServiceProvider', 'OperationsMetadata', 'Contents', 'Themes'] as const;
export type Section = (typeof SECTIONS)[number];

/** Capabilities documents are XML; 06-121r3 §7.3.5 makes text/xml the format every server supports. */
export const CAPABILITIES_FORMATS = ['text/xml', 'application/xml'] as const;

export type CapabilitiesPlan =
  /** 06-121r3 §7.3.4, Table 6: the client's updateSequence equals the server's: the root element with only `version` and `updateSequence`. */
  | { kind: 'current'; contentType: string }
  | { kind: 'document'; sections: ReadonlySet<Section>; contentType: string };

export function negotiateCapabilities(p: CapabilitiesParams, updateSequence: string): CapabilitiesPlan {
  // §7.3.2: the server answers in the first listed version it supports, else VersionNegotiationFailed.
  if (p.acceptVersions !== undefined && !p.acceptVersions.includes(WMTS_VERSION)) {
    throw new OwsException('VersionNegotiationFailed', 'AcceptVersions', `none of the versions ${p.acceptVersions.join(', ') || '(none)'} is supported (${WMTS_VERSION})`);
  }
  const sections = selectedSections(p.sections);
  const contentType = p.acceptFormats?.find((f) => (CAPABILITIES_FORMATS as readonly string[]).includes(f)) ?? 'text/xml';
  // §7.3.4, Table 6. The server's value is an ISO 8601 UTC timestamp, so string order is time
  // order; a client value that sorts after it is from the future: InvalidUpdateSequence.
  if (p.updateSequence !== undefined) {
    if (p.updateSequence === updateSequence) return { kind: 'current', contentType };
    if (p.updateSequence > updateSequence) {
      throw new OwsException('InvalidUpdateSequence', 'updateSequence', `updateSequence "${p.updateSequence}" is greater than the server's current value "${updateSequence}"`);
    }
  }
  return { kind: 'document', sections, contentType };
}

/**
 * §7.3.3: no Sections parameter (or an empty one, which some clients send) or `All` selects
 * every section; an unknown section name is InvalidParameterValue.
 */
function selectedSections(names: string[] | undefined): ReadonlySet<Section> {
  if (names === undefined || names.length === 0 || names.includes('All')) return new Set(SECTIONS);
  for (const n of names) {
    if (!(SECTIONS as readonly string[]).includes(n)) {
      throw new OwsException('InvalidParameterValue', 'Sections', `unknown section "${n}" (${SECTIONS.join(', ')}, All)`);
    }
  }
  return new Set(names as Section[]);
}
