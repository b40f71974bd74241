import { MAX_DEPTH, cleanUntrusted } from '../../../server/http/untrusted-input';

describe('cleanUntrusted', () => {
  it.each([
    ['plain text', 'bonjour', 'bonjour'],
    ['a well-formed pair', 'a😀b', 'a😀b'],
    ['a lone high surrogate', 'a\ud800b', 'a\ufffdb'],
    ['a lone low surrogate', '\udc00', '\ufffd'],
    ['a reversed pair', '\ude00\ud83d', '\ufffd\ufffd'],
    ['a high surrogate at the end', 'fin\udbff', 'fin\ufffd'],
    ['nested, in keys and values', { ['k\ud800']: ['x\udc00', { y: '\ud83d' }] }, { ['k\ufffd']: ['x\ufffd', { y: '\ufffd' }] }],
    ['numbers, booleans, null', [1, true, null], [1, true, null]],
  ])('when the input holds %s, then every string comes out well-formed', (_c, input, expected) => {
    expect(cleanUntrusted(input)).toEqual({ value: expected });
  });

  it.each([
    ['a NUL in a value', { a: { b: 'x\u0000' } }, ['a', 'b']],
    ['a NUL in a key', { ['x\u0000']: 1 }, ['x']],
    ['a NUL in an array', ['ok', '\u0000'], ['1']],
  ])('when the input holds %s, then it is refused naming where', (_c, input, path) => {
    expect(cleanUntrusted(input)).toEqual({ problem: { path, code: 'nul_character' } });
  });

  it('when nesting is deeper than the limit, even 100,000 levels, then it is refused without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(cleanUntrusted(deep)).toMatchObject({ problem: { code: 'too_deep' } });
    let ok: unknown = 'x';
    for (let i = 0; i < MAX_DEPTH; i++) ok = [ok];
    expect(cleanUntrusted(ok)).toEqual({ value: ok });
  });

  it('when a key is "__proto__", then it stays a plain property and no prototype is touched', () => {
    const r = cleanUntrusted(JSON.parse('{"__proto__":{"polluted":true}}')) as { value: Record<string, unknown> };
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(Object.keys(r.value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
