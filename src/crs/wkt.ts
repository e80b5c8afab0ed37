/**
 * A tiny WKT1 reader, enough to pull AXIS and AUTHORITY nodes out of the GDAL-flavoured WKT that
 * epsg-index stores (e.g. `PROJCS["...",GEOGCS[...,DATUM["...",...,AUTHORITY["EPSG","6267"]],...]`).
 */

export interface WktNode {
  readonly keyword: string;
  readonly args: ReadonlyArray<string | number | WktNode>;
}

export function parseWkt(text: string): WktNode {
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i]!)) i++; };
  const node = (): WktNode => {
    ws();
    const start = i;
    while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
    const keyword = text.slice(start, i).toUpperCase();
    ws();
    const open = text[i];
    if (open !== '[' && open !== '(') throw new SyntaxError(`WKT: expected [ after ${keyword} at ${i}`);
    const close = open === '[' ? ']' : ')';
    i++;
    const args: Array<string | number | WktNode> = [];
    for (;;) {
      ws();
      const ch = text[i];
      if (ch === undefined) throw new SyntaxError('WKT: unexpected end');
      if (ch === close) { i++; break; }
      if (ch === ',') { i++; continue; }
      if (ch === '"') {
        let s = '';
        i++;
        for (;;) {
          const c = text[i++];
          if (c === undefined) throw new SyntaxError('WKT: unterminated string');
          if (c === '"') {
            if (text[i] === '"') { s += '"'; i++; continue; }
            break;
          }
          s += c;
        }
        args.push(s);
      } else if (/[-+.\d]/.test(ch)) {
        const st = i;
        while (i < text.length && /[-+.\deE]/.test(text[i]!)) i++;
        args.push(Number(text.slice(st, i)));
      } else {
        const save = i;
        while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
        ws();
        if (text[i] === '[' || text[i] === '(') { i = save; args.push(node()); } else args.push(text.slice(save, i).trim());
      }
    }
    return { keyword, args };
  };
  return node();
}

export function children(n: WktNode, keyword: string): WktNode[] {
  return n.args.filter((a): a is WktNode => typeof a === 'object' && a.keyword === keyword);
}

export function child(n: WktNode, keyword: string): WktNode | undefined {
  return children(n, keyword)[0];
}

/** EPSG code of a node's own AUTHORITY["EPSG","n"], if any. */
export function epsgAuthority(n: WktNode | undefined): number | undefined {
  const a = n && child(n, 'AUTHORITY');
  if (!a || String(a.args[0]).toUpperCase() !== 'EPSG') return undefined;
  const code = Number(a.args[1]);
  return Number.isInteger(code) ? code : undefined;
}
