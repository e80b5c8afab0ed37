/** The few HTTP calls the assertions make (Node's fetch; no redirects followed silently). */

export interface Response {
  url: string;
  status: number;
  contentType: string;
  body: Uint8Array;
  text(): string;
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, { headers, redirect: 'manual' });
  const body = new Uint8Array(await res.arrayBuffer());
  return {
    url,
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body,
    text: () => new TextDecoder().decode(body),
  };
}

/** `base?` + `k=v&…`, values percent-encoded (the KVP endpoint already ends in `?` or `&`). */
export function kvpUrl(endpoint: string, params: Record<string, string | number>): string {
  const q = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
  return /[?&]$/.test(endpoint) ? endpoint + q : `${endpoint}${endpoint.includes('?') ? '&' : '?'}${q}`;
}

/** The MIME type of a Content-Type header, without parameters, lower case. */
export function mimeOf(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}
