import { describe, expect, it } from 'vitest';
import { murmur3 } from './murmur3.js';

describe('murmur3', () => {
  it('matches the reference implementation on published vectors', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('test')).toBe(0xba6bd213);
    expect(murmur3('Hello, world!')).toBe(0xc0363e43);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    expect(murmur3('ππππππππ', 0x9747b28c)).toBe(0xd58063c1);
  });

  it('encodes a lone surrogate as U+FFFD, like TextEncoder', () => {
    expect(murmur3('a\ud800b')).toBe(murmur3('a\ufffdb'));
  });
});
