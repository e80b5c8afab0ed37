/**
 * HTML representations of the OGC API resources (OGC 19-072 §7.8, /req/html/content: every
 * resource as HTML, links as hyperlinks). One generic renderer: title and description, the
 * links as a table of anchors, then every other member as nested lists. Everything is
 * escaped; nothing is loaded from elsewhere (no CDN, no script).
 */
import type { Link } from './links.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = 'body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}'
  + 'table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}'
  + 'dt{font-weight:600}dd{margin:0 0 .4em 1.2em}code{background:#f4f4f4;padding:0 .2em}nav a{margin-right:1em}';

function isLinkList(v: unknown): v is Link[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && 'href' in x && 'rel' in x);
}

function linksTable(links: readonly Link[]): string {
  const rows = links.map((l) => {
    const href = escapeHtml(l.href);
    // A URI template is shown, not followed.
    const target = l.templated ? `<code>${href}</code>` : `<a href="${href}">${href}</a>`;
    return `<tr><td>${escapeHtml(l.rel)}</td><td>${escapeHtml(l.type ?? '')}</td><td>${escapeHtml(l.title ?? '')}</td><td>${target}</td></tr>`;
  }).join('');
  return `<table><tr><th>rel</th><th>type</th><th>title</th><th>href</th></tr>${rows}</table>`;
}

function value(v: unknown, depth: number): string {
  if (v === null || v === undefined) return '<i>none</i>';
  if (typeof v === 'string') return /^https?:\/\//.test(v) && !v.includes('{') ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>` : escapeHtml(v);
  if (typeof v !== 'object') return `<code>${escapeHtml(String(v))}</code>`;
  if (isLinkList(v)) return linksTable(v);
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return `<code>${escapeHtml(JSON.stringify(v))}</code>`;
    if (depth > 4) return `<code>${escapeHtml(JSON.stringify(v))}</code>`;
    return `<ol>${v.map((x) => `<li>${value(x, depth + 1)}</li>`).join('')}</ol>`;
  }
  if (depth > 4) return `<code>${escapeHtml(JSON.stringify(v))}</code>`;
  const entries = Object.entries(v as Record<string, unknown>);
  return `<dl>${entries.map(([k, x]) => `<dt>${escapeHtml(k)}</dt><dd>${value(x, depth + 1)}</dd>`).join('')}</dl>`;
}

/**
 * The HTML page of a JSON resource document. `nav` links (the landing page, the viewer)
 * head the page.
 */
export function resourceHtml(doc: Record<string, unknown>, options: { title: string; nav: readonly Link[] }): string {
  const { title, description, links, ...rest } = doc as { title?: unknown; description?: unknown; links?: unknown };
  const heading = typeof title === 'string' ? title : options.title;
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(heading)}</title><style>${STYLE}</style></head><body>`,
    `<nav>${options.nav.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.title ?? l.rel)}</a>`).join('')}</nav>`,
    `<h1>${escapeHtml(heading)}</h1>`,
    typeof description === 'string' ? `<p>${escapeHtml(description)}</p>` : '',
    isLinkList(links) ? `<h2>Links</h2>${linksTable(links)}` : '',
    Object.keys(rest).length ? `<h2>Details</h2>${value(rest, 0)}` : '',
    '</body></html>',
  ];
  return parts.join('');
}
