import type { ContentEncoding } from './snapshot.js';

/** Whether an `If-None-Match` header names `etag` (weak or strong, in a list, or `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag) return true;
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*' || tag === etag || (tag.startsWith('W/') && tag.slice(2) === etag)) return true;
  }
  return false;
}

const negotiated = new Map<string, ContentEncoding | undefined>();

/**
 * The best encoding an `Accept-Encoding` header allows: brotli, then gzip, else identity.
 * Results are cached by header text (clients send the same few headers over and over).
 */
export function negotiateEncoding(header: string | undefined): ContentEncoding | undefined {
  if (header === undefined || header === '') return undefined;
  let result = negotiated.get(header);
  if (result !== undefined || negotiated.has(header)) return result;
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (name === undefined || name === '') continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p);
      if (m !== null) weight = Number(m[1]);
    }
    q.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weight = (name: string) => q.get(name) ?? q.get('*') ?? 0;
  if (weight('br') > 0 && weight('br') >= weight('gzip')) result = 'br';
  else if (weight('gzip') > 0) result = 'gzip';
  if (negotiated.size > 1000) negotiated.clear();
  negotiated.set(header, result);
  return result;
}
