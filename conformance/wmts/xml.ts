/**
 * Namespace-aware reading of the server's XML (a DOM from xmlbuilder2's parser): assertions
 * find elements by namespace URI and local name, never by the prefixes a server happened to use.
 */
import { create } from 'xmlbuilder2';

export const WMTS = 'http://www.opengis.net/wmts/1.0';
export const OWS = 'http://www.opengis.net/ows/1.1';
export const XLINK = 'http://www.w3.org/1999/xlink';

/** The DOM element type of the parser (kept structural so no DOM library types leak). */
export interface XmlElement {
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<{ nodeType: number }>;
  getAttribute(name: string): string | null;
  getAttributeNS(ns: string, name: string): string | null;
  hasAttribute(name: string): boolean;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<XmlElement>;
}

/** The root element of a document; throws with the parser's message when it is not well-formed XML. */
export function parseXml(text: string): XmlElement {
  return create(text).root().node as unknown as XmlElement;
}

/** Direct child elements with this namespace and local name. */
export function children(parent: XmlElement, ns: string, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const nodes = parent.childNodes;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as unknown as XmlElement & { nodeType: number };
    if (n.nodeType === 1 && n.namespaceURI === ns && n.localName === name) out.push(n);
  }
  return out;
}

export function child(parent: XmlElement, ns: string, name: string): XmlElement | undefined {
  return children(parent, ns, name)[0];
}

/** Trimmed text of the first such child, or undefined. */
export function childText(parent: XmlElement, ns: string, name: string): string | undefined {
  return child(parent, ns, name)?.textContent?.trim();
}

/** Every descendant element with this namespace and local name. */
export function descendants(parent: XmlElement, ns: string, name: string): XmlElement[] {
  return Array.from(parent.getElementsByTagNameNS(ns, name));
}

/** Element children of any name (to check that only selected sections are present). */
export function elementChildren(parent: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const nodes = parent.childNodes;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as unknown as XmlElement & { nodeType: number };
    if (n.nodeType === 1) out.push(n);
  }
  return out;
}
