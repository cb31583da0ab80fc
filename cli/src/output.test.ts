import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emit, formatCoin, formatCoins, formatFields, formatTable, parseOutputFormat, toJson } from './output.js';

test('toJson writes bigint as a decimal string and bytes as base64', () => {
  const value = { gasUsed: 123456789012345678901234567890n, raw: new Uint8Array([1, 2, 3]), buf: Buffer.from('hi'), nested: [{ n: 1n }], time: new Date(0), none: null };
  const json = toJson(value);
  assert.ok(json.endsWith('}\n'));
  assert.deepEqual(JSON.parse(json), {
    gasUsed: '123456789012345678901234567890',
    raw: 'AQID',
    buf: 'aGk=',
    nested: [{ n: '1' }],
    time: '1970-01-01T00:00:00.000Z',
    none: null,
  });
});

test('parseOutputFormat accepts text and json only', () => {
  assert.equal(parseOutputFormat('text'), 'text');
  assert.equal(parseOutputFormat('json'), 'json');
  assert.throws(() => parseOutputFormat('yaml'), /--output must be "text" or "json"/);
});

test('formatFields aligns values and skips missing ones', () => {
  assert.equal(formatFields([['txhash', 'AB'], ['height', 7], ['log', undefined], ['code', 0n]]), 'txhash: AB\nheight: 7\ncode:   0\n');
  assert.equal(formatFields([]), '');
});

test('formatTable pads every column but the last', () => {
  assert.equal(formatTable(['NAME', 'ADDRESS'], [['alice', 'tru1a'], ['bo', 'tru1bbbbbb']]), 'NAME   ADDRESS\nalice  tru1a\nbo     tru1bbbbbb\n');
});

test('formatCoin shows utru in TRU too, exactly', () => {
  assert.equal(formatCoin({ denom: 'utru', amount: '1500000' }), '1500000utru (1.5 TRU)');
  assert.equal(formatCoin({ denom: 'utru', amount: '1' }), '1utru (0.000001 TRU)');
  assert.equal(formatCoin({ denom: 'utru', amount: '123456789012345678901000000' }), '123456789012345678901000000utru (123456789012345678901 TRU)');
  assert.equal(formatCoin({ denom: 'stake', amount: '5' }), '5stake');
  assert.equal(formatCoins([]), '(none)');
  assert.equal(formatCoins([{ denom: 'stake', amount: '5' }, { denom: 'utru', amount: '0' }]), '5stake, 0utru (0 TRU)');
});

test('emit prints JSON or the text rendering', () => {
  let out = '';
  const writer = { write: (s: string) => (out += s) };
  emit('json', { a: 1n }, () => 'unused', writer);
  emit('text', { a: 1n }, (d) => `a=${d.a}\n`, writer);
  assert.equal(out, '{\n  "a": "1"\n}\na=1\n');
});
