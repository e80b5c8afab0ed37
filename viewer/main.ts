/**
 * The map viewer page: lists the server's collections as a layer switcher, shows the chosen
 * one on an OpenLayers map through a protocol (./protocols: XYZ, WMTS, OGC API - Tiles), lets the user restyle
 * it where the protocol allows and copy the endpoint into a desktop client. Every request goes
 * to the page's own server through relative URLs.
 */
import type { TileSourceEvent } from 'ol/source/Tile.js';
import { errorText, listCollections, type CollectionSummary } from './api.js';
import { createMap, type Background } from './map.js';
import { findProtocol, protocols, type CopyableUrl, type Endpoint, type Protocol, type ProtocolLayer } from './protocols/index.js';
import { COLORMAPS, EMPTY_STYLE, RESAMPLINGS, styleQuery, stylePlaceholders, type StyleFields } from './style.js';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const ui = {
  message: byId<HTMLDivElement>('message'),
  collections: byId<HTMLDivElement>('collections'),
  background: byId<HTMLSelectElement>('background'),
  protocol: byId<HTMLSelectElement>('protocol'),
  endpointLabel: byId<HTMLLabelElement>('endpoint-label'),
  endpointUrl: byId<HTMLTextAreaElement>('endpoint-url'),
  endpointHelp: byId<HTMLParagraphElement>('endpoint-help'),
  endpointAlso: byId<HTMLDivElement>('endpoint-also'),
  copy: byId<HTMLButtonElement>('copy'),
  styleForm: byId<HTMLFormElement>('style-form'),
  styleNote: byId<HTMLParagraphElement>('style-note'),
  styleError: byId<HTMLParagraphElement>('style-error'),
  mapElement: byId<HTMLElement>('map'),
};

const viewer = createMap(ui.mapElement);

interface Selection {
  collection: CollectionSummary;
  protocol: Protocol;
  opened?: ProtocolLayer;
  query: string;
}

let collections: CollectionSummary[] = [];
let protocol: Protocol = protocols[0]!;
let current: Selection | undefined;
/** Bumped by every selection, so a slow open that lost the race does not show its layer. */
let generation = 0;
/** Opened layers by protocol and collection: the promise is cached, and evicted on failure. */
const opened = new Map<string, Promise<ProtocolLayer>>();
/** The style fields last applied to each collection. */
const styles = new Map<string, StyleFields>();
/** Protocol, collection and endpoint (the URL template for XYZ) whose tile failure was already explained. */
const probed = new Set<string>();

// ---------------------------------------------------------------- messages

function showMessage(text: string, kind: 'error' | 'info', action?: { label: string; run: () => void }): void {
  ui.message.replaceChildren(document.createTextNode(text));
  if (action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = action.label;
    button.addEventListener('click', action.run);
    ui.message.append(' ', button);
  }
  ui.message.className = `message ${kind}`;
  ui.message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  ui.message.hidden = false;
}

function clearMessage(): void {
  ui.message.hidden = true;
  ui.message.replaceChildren();
}

// ---------------------------------------------------------------- collections (the layer switcher)

function zoomRange(c: CollectionSummary): string {
  const t = c.tileMatrixSets.find((m) => m.id === 'WebMercatorQuad') ?? c.tileMatrixSets[0];
  return t ? `z${t.minTileMatrix}–${t.maxTileMatrix}` : 'no tile matrix set';
}

function renderCollections(): void {
  if (collections.length === 0) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = 'No collections.';
    ui.collections.replaceChildren(p);
    return;
  }
  ui.collections.replaceChildren(...collections.map((c) => {
    const label = document.createElement('label');
    label.className = 'collection';
    label.dataset['id'] = c.id;
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'collection';
    radio.value = c.id;
    radio.addEventListener('change', () => { if (radio.checked) void select(c.id); });
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = c.title;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${c.crs.id} · ${c.bands.count} × ${c.bands.dataType} · ${zoomRange(c)}`;
    const description = document.createElement('span');
    description.className = 'description';
    description.textContent = c.description;
    label.append(radio, title, meta, description);
    return label;
  }));
}

async function loadCollections(): Promise<void> {
  ui.collections.setAttribute('aria-busy', 'true');
  try {
    collections = await listCollections();
  } catch (err) {
    collections = [];
    renderCollections();
    showMessage(`Could not load the collections: ${(err as Error).message}.`, 'error', { label: 'Retry', run: () => { clearMessage(); void loadCollections(); } });
    return;
  } finally {
    ui.collections.removeAttribute('aria-busy');
  }
  renderCollections();
  if (collections.length === 0) {
    showMessage('This server has no collections yet. Start it with GeoTIFF files or folders (tilewright serve FILE…) or list collections in its configuration.', 'info');
    setStyleEnabled(false);
    return;
  }
  const wanted = readHash();
  if (wanted.protocol) {
    const p = findProtocol(wanted.protocol);
    if (p) setProtocol(p);
  }
  const first = collections.find((c) => c.id === wanted.collection) ?? collections[0]!;
  await select(first.id);
}

// ---------------------------------------------------------------- selecting a collection

function layerKey(p: Protocol, c: CollectionSummary): string {
  return `${p.id}\n${c.id}`;
}

function openLayer(p: Protocol, c: CollectionSummary): Promise<ProtocolLayer> {
  const key = layerKey(p, c);
  let pending = opened.get(key);
  if (!pending) {
    pending = p.open(c, new AbortController().signal).then((layer) => {
      layer.layer.getSource()?.on('tileloaderror', (e: TileSourceEvent) => void explainTileError(p, c, layer, e));
      return layer;
    });
    pending.catch(() => opened.delete(key));
    opened.set(key, pending);
  }
  return pending;
}

function hideLayers(except?: ProtocolLayer): void {
  for (const layer of viewer.map.getLayers().getArray()) {
    if (!layer.get('background') && layer !== except?.layer) layer.setVisible(false);
  }
}

async function select(id: string): Promise<void> {
  const collection = collections.find((c) => c.id === id);
  if (!collection) return;
  const mine = ++generation;
  const p = protocol;
  current = { collection, protocol: p, query: '' };
  clearMessage();
  markRendering();
  for (const radio of ui.collections.querySelectorAll<HTMLInputElement>('input[name=collection]')) radio.checked = radio.value === id;
  for (const label of ui.collections.querySelectorAll<HTMLElement>('label.collection')) label.classList.toggle('selected', label.dataset['id'] === id);
  writeHash(collection.id, p.id);
  fillStyleForm(collection, p);
  const why = p.unsupported(collection);
  if (why) {
    hideLayers();
    showEndpoint(undefined);
    setStyleEnabled(false);
    showMessage(`${collection.title}: ${why}.`, 'error');
    return;
  }
  let layer: ProtocolLayer;
  try {
    layer = await openLayer(p, collection);
  } catch (err) {
    if (mine !== generation) return;
    hideLayers();
    showEndpoint(undefined);
    setStyleEnabled(false);
    showMessage(`Could not open "${collection.title}" with ${p.label}: ${(err as Error).message}.`, 'error', { label: 'Retry', run: () => void select(id) });
    return;
  }
  if (mine !== generation) return;
  current.opened = layer;
  hideLayers(layer);
  viewer.setProjection(layer.projection);
  if (!viewer.map.getLayers().getArray().includes(layer.layer)) viewer.map.addLayer(layer.layer);
  layer.layer.setVisible(true);
  setStyleEnabled(!p.fixedStyle);
  if (!p.fixedStyle) {
    const result = styleQuery(styles.get(collection.id) ?? EMPTY_STYLE, collection);
    current.query = result.ok ? result.query : '';
    layer.setStyle(current.query);
  }
  viewer.map.getView().fit(layer.extent, { padding: [32, 32, 32, 32], minResolution: layer.finestResolution });
  showEndpoint(layer.endpoint());
  watchRendering();
}

/**
 * `#map[data-rendered]` names what the map shows once every tile of it has loaded
 * ("xyz:tci:bands=1"), for scripts and tests that wait for the map.
 */
function markRendering(): void {
  delete ui.mapElement.dataset['rendered'];
  ui.mapElement.setAttribute('aria-busy', 'true');
}

function watchRendering(): void {
  const sel = current;
  if (!sel) return;
  const mine = generation;
  const key = `${sel.protocol.id}:${sel.collection.id}:${sel.query}`;
  markRendering();
  viewer.map.once('rendercomplete', () => {
    if (mine !== generation || current !== sel || `${sel.protocol.id}:${sel.collection.id}:${sel.query}` !== key) return;
    ui.mapElement.dataset['rendered'] = key;
    ui.mapElement.removeAttribute('aria-busy');
  });
  viewer.map.render();
}

/** A tile failed: ask the server once per layer and URL template why, and say so when it is an error. */
async function explainTileError(p: Protocol, c: CollectionSummary, layer: ProtocolLayer, e: TileSourceEvent): Promise<void> {
  // The WMTS endpoint (the capabilities URL) is the same for every layer: the key names the layer too.
  const key = `${p.id}\n${c.id}\n${layer.endpoint().url}`;
  if (probed.has(key)) return;
  probed.add(key);
  // The failed image is already replaced by a blank one: rebuild the tile's URL instead.
  const url = layer.layer.getSource()?.getTileUrlFunction()(e.tile.tileCoord, 1, viewer.map.getView().getProjection());
  if (!url) { probed.delete(key); return; }
  try {
    const res = await fetch(url);
    // 204 No Content is an empty tile (the browser cannot draw it, nothing is wrong).
    if (res.status < 400) { probed.delete(key); return; }
    const text = await errorText(res);
    if (current?.collection.id === c.id && current.protocol === p) showMessage(`Tiles of "${c.title}" fail: ${text}.`, 'error');
  } catch (err) {
    if (current?.collection.id === c.id && current.protocol === p) showMessage(`Tiles of "${c.title}" cannot be loaded: ${(err as Error).message}.`, 'error');
  }
}

// ---------------------------------------------------------------- endpoint (copy-paste)

function showEndpoint(endpoint: Endpoint | undefined): void {
  ui.endpointLabel.textContent = endpoint?.label ?? 'URL';
  ui.endpointUrl.value = endpoint?.url ?? '';
  ui.endpointHelp.textContent = endpoint?.help ?? '';
  ui.copy.disabled = !endpoint;
  ui.copy.textContent = 'Copy';
  fitHeight(ui.endpointUrl);
  ui.endpointAlso.replaceChildren(...(endpoint?.also ?? []).map(alsoUrl));
  for (const textarea of ui.endpointAlso.querySelectorAll('textarea')) fitHeight(textarea);
}

/** A further URL of the endpoint (e.g. a WMTS tile URL template): label, text and its own copy button. */
function alsoUrl(item: CopyableUrl, i: number): HTMLElement {
  const id = `endpoint-also-${i}`;
  const label = document.createElement('label');
  label.className = 'endpoint-label';
  label.htmlFor = id;
  label.textContent = item.label;
  const textarea = document.createElement('textarea');
  textarea.id = id;
  textarea.rows = 2;
  textarea.readOnly = true;
  textarea.spellcheck = false;
  textarea.value = item.url;
  textarea.addEventListener('focus', () => textarea.select());
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Copy';
  button.addEventListener('click', () => void copyText(textarea, button));
  const row = document.createElement('div');
  row.className = 'copy';
  row.append(textarea, button);
  const box = document.createElement('div');
  box.className = 'endpoint-also';
  box.append(label, row);
  return box;
}

/** Tall enough for the whole URL (a query makes it wrap onto more lines). */
function fitHeight(textarea: HTMLTextAreaElement): void {
  textarea.style.height = 'auto';
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}

async function copyText(textarea: HTMLTextAreaElement, button: HTMLButtonElement): Promise<void> {
  const text = textarea.value;
  if (!text) return;
  let done = false;
  try {
    await navigator.clipboard.writeText(text);
    done = true;
  } catch {
    // No clipboard API outside secure contexts (http on a LAN address): select and copy.
    textarea.focus();
    textarea.select();
    done = document.execCommand('copy');
  }
  button.textContent = done ? 'Copied' : 'Press Ctrl+C';
  setTimeout(() => { button.textContent = 'Copy'; }, 2000);
}

// ---------------------------------------------------------------- style form

function field<T extends HTMLInputElement | HTMLSelectElement>(name: keyof StyleFields): T {
  return ui.styleForm.elements.namedItem(name) as T;
}

/**
 * Shows the style of `c` as protocol `p` draws it: the fields last applied, or, when the
 * protocol only has the default style (WMTS), empty fields (the placeholders say what the
 * default is) and the reason; the applied fields are kept for the protocols that can use them.
 */
function fillStyleForm(c: CollectionSummary, p: Protocol): void {
  const values = p.fixedStyle ? EMPTY_STYLE : styles.get(c.id) ?? EMPTY_STYLE;
  ui.styleNote.textContent = p.fixedStyle ?? '';
  ui.styleNote.hidden = !p.fixedStyle;
  const placeholders = stylePlaceholders(c);
  field<HTMLInputElement>('bands').placeholder = placeholders.bands;
  field<HTMLInputElement>('rescale').placeholder = placeholders.rescale;
  const resamplingDefault = field<HTMLSelectElement>('resampling').options[0];
  if (resamplingDefault) resamplingDefault.textContent = `default${c.resampling ? ` (${c.resampling})` : ''}`;
  const colormapDefault = field<HTMLSelectElement>('colormap').options[0];
  if (colormapDefault) colormapDefault.textContent = c.defaultStyle?.colormap ? `default (${c.defaultStyle.colormap})` : 'none';
  for (const name of Object.keys(EMPTY_STYLE) as (keyof StyleFields)[]) field(name).value = values[name];
  showStyleError(undefined);
}

function readStyleForm(): StyleFields {
  return {
    bands: field('bands').value,
    rescale: field('rescale').value,
    colormap: field('colormap').value,
    resampling: field('resampling').value,
  };
}

function showStyleError(error: { field: keyof StyleFields; message: string } | undefined): void {
  for (const name of Object.keys(EMPTY_STYLE) as (keyof StyleFields)[]) {
    if (error?.field === name) field(name).setAttribute('aria-invalid', 'true');
    else field(name).removeAttribute('aria-invalid');
  }
  ui.styleError.textContent = error?.message ?? '';
  ui.styleError.hidden = !error;
  if (error) ui.styleError.scrollIntoView({ block: 'nearest' });
}

function setStyleEnabled(enabled: boolean): void {
  for (const el of ui.styleForm.elements) (el as HTMLInputElement).disabled = !enabled;
}

function applyStyle(): void {
  const sel = current;
  if (!sel?.opened || sel.protocol.fixedStyle) return;
  const fields = readStyleForm();
  const result = styleQuery(fields, sel.collection);
  if (!result.ok) {
    showStyleError(result);
    return;
  }
  showStyleError(undefined);
  styles.set(sel.collection.id, fields);
  if (result.query === sel.query) return;
  sel.query = result.query;
  clearMessage();
  sel.opened.setStyle(result.query);
  showEndpoint(sel.opened.endpoint());
  watchRendering();
}

// ---------------------------------------------------------------- protocol, background, URL hash

function setProtocol(p: Protocol): void {
  protocol = p;
  ui.protocol.value = p.id;
}

function readHash(): { collection?: string; protocol?: string } {
  const params = new URLSearchParams(location.hash.slice(1));
  return { ...(params.get('collection') ? { collection: params.get('collection')! } : {}), ...(params.get('protocol') ? { protocol: params.get('protocol')! } : {}) };
}

function writeHash(collection: string, protocolId: string): void {
  const hash = `#${new URLSearchParams({ collection, protocol: protocolId })}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

function init(): void {
  for (const p of protocols) ui.protocol.add(new Option(p.label, p.id));
  ui.protocol.disabled = protocols.length < 2;
  ui.protocol.addEventListener('change', () => {
    const p = findProtocol(ui.protocol.value);
    if (!p) return;
    setProtocol(p);
    if (current) void select(current.collection.id);
  });
  const colormap = field<HTMLSelectElement>('colormap');
  for (const name of COLORMAPS) colormap.add(new Option(name, name));
  const resampling = field<HTMLSelectElement>('resampling');
  for (const name of RESAMPLINGS) resampling.add(new Option(name, name));
  ui.styleForm.addEventListener('submit', (e) => { e.preventDefault(); applyStyle(); });
  ui.styleForm.addEventListener('change', () => applyStyle());
  ui.styleForm.addEventListener('reset', (e) => {
    e.preventDefault();
    for (const name of Object.keys(EMPTY_STYLE) as (keyof StyleFields)[]) field(name).value = '';
    applyStyle();
  });
  setStyleEnabled(false);
  ui.copy.addEventListener('click', () => void copyText(ui.endpointUrl, ui.copy));
  ui.endpointUrl.addEventListener('focus', () => ui.endpointUrl.select());
  ui.background.addEventListener('change', () => viewer.setBackground(ui.background.value as Background));
  viewer.setBackground(ui.background.value as Background);
  window.addEventListener('hashchange', () => {
    const wanted = readHash();
    const p = findProtocol(wanted.protocol) ?? protocol;
    if (wanted.collection && (wanted.collection !== current?.collection.id || p !== protocol)) {
      setProtocol(p);
      void select(wanted.collection);
    }
  });
  showEndpoint(undefined);
  void loadCollections();
}

init();
