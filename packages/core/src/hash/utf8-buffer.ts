/**
 * A reusable buffer holding the UTF-8 bytes of one string. Bucketing encodes the value
 * here once and hashes the bytes; `evaluateAll` keeps the targeting key encoded across
 * all the flags it visits, so each flag's hash skips re-reading the string.
 */
export class Utf8Buffer {
  /** The string whose bytes are held, or undefined. */
  value: string | undefined;
  bytes = new Uint8Array(256);
  length = 0;

  /** Encodes `value` (lone surrogates as U+FFFD, as `TextEncoder` does), unless it is already held. */
  hold(value: string): this {
    if (value === this.value) return this;
    const len = value.length;
    if (len * 3 > this.bytes.length) this.bytes = new Uint8Array(len * 3);
    const out = this.bytes;
    let j = 0;
    for (let i = 0; i < len; i++) {
      let c = value.charCodeAt(i);
      if (c < 0x80) {
        out[j++] = c;
        continue;
      }
      if (c < 0x800) {
        out[j++] = 0xc0 | (c >> 6);
        out[j++] = 0x80 | (c & 0x3f);
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < len ? value.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[j++] = 0xf0 | (c >> 18);
          out[j++] = 0x80 | ((c >> 12) & 0x3f);
          out[j++] = 0x80 | ((c >> 6) & 0x3f);
          out[j++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      out[j++] = 0xe0 | (c >> 12);
      out[j++] = 0x80 | ((c >> 6) & 0x3f);
      out[j++] = 0x80 | (c & 0x3f);
    }
    this.length = j;
    this.value = value;
    return this;
  }
}
