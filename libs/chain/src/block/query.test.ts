import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matches, parseQuery, QueryParseError, type Condition } from './query.js';

const ADDR1 = 'tru14qemq0vw6y3gc3u3e0aty2e764u4gs5llzy6hl';
const ADDR2 = 'tru1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5e3leu7';

describe('parseQuery', () => {
  test('tx.height=5', () => {
    assert.deepEqual(parseQuery('tx.height=5'), [{ tag: 'tx.height', op: '=', value: 5 }]);
  });

  test('the queries cosmjs builds: quoted strings joined with AND', () => {
    assert.deepEqual(parseQuery(`transfer.recipient='${ADDR1}' AND message.sender='${ADDR2}'`), [
      { tag: 'transfer.recipient', op: '=', value: ADDR1 },
      { tag: 'message.sender', op: '=', value: ADDR2 },
    ]);
    assert.deepEqual(parseQuery(`tx.hash='85135DBC7F8042E9C751A1184ED77B7CAB424696B02CC78FD7EC2B9B1BA8F87D'`), [
      { tag: 'tx.hash', op: '=', value: '85135DBC7F8042E9C751A1184ED77B7CAB424696B02CC78FD7EC2B9B1BA8F87D' },
    ]);
    // cosmjs searchTx([{key, value}]) with a number value writes it unquoted.
    assert.deepEqual(parseQuery(`message.module='bank' AND tx.height=12`), [
      { tag: 'message.module', op: '=', value: 'bank' },
      { tag: 'tx.height', op: '=', value: 12 },
    ]);
  });

  test('whitespace around operators and keywords is free', () => {
    assert.deepEqual(parseQuery(`  tx.height  =  5   AND   a.b =  'x'  `), [
      { tag: 'tx.height', op: '=', value: 5 },
      { tag: 'a.b', op: '=', value: 'x' },
    ]);
  });

  test('CONTAINS and EXISTS', () => {
    assert.deepEqual(parseQuery(`message.action CONTAINS 'MsgSend'`), [{ tag: 'message.action', op: 'CONTAINS', value: 'MsgSend' }]);
    assert.deepEqual(parseQuery('transfer.amount EXISTS'), [{ tag: 'transfer.amount', op: 'EXISTS' }]);
    assert.deepEqual(parseQuery(`transfer.amount EXISTS AND message.action CONTAINS 'bank'`), [
      { tag: 'transfer.amount', op: 'EXISTS' },
      { tag: 'message.action', op: 'CONTAINS', value: 'bank' },
    ]);
  });

  test('ranges with every comparison operator, integer and decimal', () => {
    assert.deepEqual(parseQuery('tx.height>=5 AND tx.height<10'), [
      { tag: 'tx.height', op: '>=', value: 5 },
      { tag: 'tx.height', op: '<', value: 10 },
    ]);
    assert.deepEqual(parseQuery('a.b > 1.5 AND a.b <= 7 AND c.d < -3'), [
      { tag: 'a.b', op: '>', value: 1.5 },
      { tag: 'a.b', op: '<=', value: 7 },
      { tag: 'c.d', op: '<', value: -3 },
    ]);
  });

  test('DATE and TIME values', () => {
    assert.deepEqual(parseQuery('block.time >= TIME 2013-05-03T14:45:00Z AND block.date = DATE 2017-01-01'), [
      { tag: 'block.time', op: '>=', value: '2013-05-03T14:45:00Z' },
      { tag: 'block.date', op: '=', value: '2017-01-01' },
    ]);
  });

  test('quoted strings keep spaces, operators and keywords, and unescape quotes', () => {
    assert.deepEqual(parseQuery(`memo.text='x = y AND z CONTAINS w'`), [{ tag: 'memo.text', op: '=', value: 'x = y AND z CONTAINS w' }]);
    assert.deepEqual(parseQuery(`memo.text='it\\'s'`), [{ tag: 'memo.text', op: '=', value: "it's" }]);
    assert.deepEqual(parseQuery(`memo.text=''`), [{ tag: 'memo.text', op: '=', value: '' }]);
  });

  test('tags may hold dashes, slashes, underscores and digits', () => {
    assert.deepEqual(parseQuery(`wasm-transfer.contract_address='x' AND ibc/v1.key2='y'`), [
      { tag: 'wasm-transfer.contract_address', op: '=', value: 'x' },
      { tag: 'ibc/v1.key2', op: '=', value: 'y' },
    ]);
    assert.deepEqual(parseQuery(`ANDROID.x=1`), [{ tag: 'ANDROID.x', op: '=', value: 1 }], 'a tag that starts with AND');
  });

  const malformed: [string, string][] = [
    ['', 'empty'],
    ['   ', 'blank'],
    ['tx.height', 'tag without operator'],
    ['tx.height=', 'operator without value'],
    ['=5', 'no tag'],
    ['5=5', 'number as tag'],
    ['tx.height 5', 'missing operator'],
    ['tx.height=5 AND', 'dangling AND'],
    ['AND tx.height=5', 'leading AND'],
    [`tx.height=5 tx.hash='x'`, 'missing AND'],
    [`tx.height=5 OR tx.height=6`, 'OR is not in the grammar'],
    [`a.b='unterminated`, 'unterminated string'],
    ['a.b CONTAINS 5', 'CONTAINS needs a string'],
    ['a.b CONTAINS', 'CONTAINS without value'],
    ['a.b EXISTS 5', 'EXISTS takes no value'],
    ['a.b == 5', 'double operator'],
    ['a.b=5AND c.d=1', 'number glued to a word'],
    ['a.b=$', 'stray character'],
    ['a.b="x"', 'double quotes'],
    ['a.b=x', 'bare word as value'],
  ];
  for (const [query, why] of malformed) {
    test(`rejects ${JSON.stringify(query)} (${why}) with QueryParseError`, () => {
      assert.throws(() => parseQuery(query), (err: unknown) => {
        assert.ok(err instanceof QueryParseError);
        assert.equal((err as Error).name, 'QueryParseError');
        return true;
      });
    });
  }

  test('parsing is repeatable (no state leaks between calls through the sticky regex)', () => {
    assert.throws(() => parseQuery('a.b=$'), QueryParseError);
    assert.deepEqual(parseQuery('tx.height=1'), [{ tag: 'tx.height', op: '=', value: 1 }]);
    assert.deepEqual(parseQuery('tx.height=1'), [{ tag: 'tx.height', op: '=', value: 1 }]);
  });
});

describe('matches', () => {
  const c = (op: Condition['op'], value?: string | number): Condition => ({ tag: 'a.b', op, value });

  test('EXISTS matches any value', () => {
    assert.equal(matches(c('EXISTS'), ''), true);
    assert.equal(matches(c('EXISTS'), 'x'), true);
  });

  test('CONTAINS is a substring test', () => {
    assert.equal(matches(c('CONTAINS', 'Send'), '/cosmos.bank.v1beta1.MsgSend'), true);
    assert.equal(matches(c('CONTAINS', 'send'), '/cosmos.bank.v1beta1.MsgSend'), false);
    assert.equal(matches(c('CONTAINS', ''), 'anything'), true);
  });

  test('= compares strings exactly and numbers numerically', () => {
    assert.equal(matches(c('=', ADDR1), ADDR1), true);
    assert.equal(matches(c('=', ADDR1), ADDR1.toUpperCase()), false);
    assert.equal(matches(c('=', '5'), '05'), false);
    assert.equal(matches(c('=', 5), '5'), true);
    assert.equal(matches(c('=', 5), '5.0'), true);
    assert.equal(matches(c('=', 5), '05'), true);
    assert.equal(matches(c('=', 5), '6'), false);
  });

  test('numeric ranges compare as numbers, not text', () => {
    assert.equal(matches(c('>', 9), '10'), true);
    assert.equal(matches(c('<', 9), '10'), false);
    assert.equal(matches(c('>=', 10), '10'), true);
    assert.equal(matches(c('<=', 10), '10'), true);
    assert.equal(matches(c('<', 10), '10'), false);
    assert.equal(matches(c('>', 1.5), '1.6'), true);
    assert.equal(matches(c('>', -1), '0'), true);
  });

  test('string ranges compare lexicographically (DATE/TIME values)', () => {
    assert.equal(matches(c('>=', '2013-05-03T14:45:00Z'), '2013-05-03T14:45:01Z'), true);
    assert.equal(matches(c('<', '2013-05-03T14:45:00Z'), '2013-05-03T14:45:01Z'), false);
  });

  test('numeric conditions never match values that are not numbers', () => {
    for (const actual of ['', ' ', 'abc', '1000utru', 'NaN', '0x10']) {
      assert.equal(matches(c('=', 0), actual), false, `= 0 vs ${JSON.stringify(actual)}`);
      assert.equal(matches(c('<', 100), actual), false, `< 100 vs ${JSON.stringify(actual)}`);
      assert.equal(matches(c('>=', -100), actual), false, `>= -100 vs ${JSON.stringify(actual)}`);
    }
  });
});
