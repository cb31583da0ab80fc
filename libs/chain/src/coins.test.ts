import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addCoins,
  amountOf,
  coinFromWire,
  coinsFromWire,
  coinsString,
  coinString,
  coinToWire,
  isValidDenom,
  normalizeCoins,
  parseCoins,
  type Coin,
} from './coins.js';
import { ChainError, ErrInvalidCoins } from './errors.js';

const invalidCoins = (err: unknown) => {
  assert.ok(err instanceof ChainError);
  assert.ok(ErrInvalidCoins.is(err));
  assert.equal((err as ChainError).code, 10);
  return true;
};

describe('denoms', () => {
  test('SDK denom rules: a letter, then 2..127 of [a-zA-Z0-9/:._-]', () => {
    for (const d of ['utru', 'stake', 'abc', 'ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2', 'factory/tru1x/sub', 'a.b_c-d:e']) {
      assert.equal(isValidDenom(d), true, d);
    }
    for (const d of ['', 'ab', '1abc', '-abc', 'ab c', 'utru!', 'u'.repeat(129), 'é-coin']) {
      assert.equal(isValidDenom(d), false, d);
    }
    assert.equal(isValidDenom('u'.repeat(128)), true);
  });
});

describe('wire coins', () => {
  test('convert to and from bigint amounts, including amounts beyond 2^64', () => {
    const big = '123456789012345678901234567890';
    const c = coinFromWire({ denom: 'utru', amount: big });
    assert.equal(c.amount, 123456789012345678901234567890n);
    assert.deepEqual(coinToWire(c), { denom: 'utru', amount: big });
    assert.equal(coinFromWire({ denom: 'utru', amount: '0' }).amount, 0n);
  });

  test('reject bad denoms and non-integer or negative amounts with code 10', () => {
    assert.throws(() => coinFromWire({ denom: 'u', amount: '1' }), invalidCoins);
    for (const amount of ['', '-1', '1.5', '1e3', ' 1', '0x10', '1'.repeat(78)]) {
      assert.throws(() => coinFromWire({ denom: 'utru', amount }), invalidCoins, JSON.stringify(amount));
    }
  });

  test('coinsFromWire accepts only a sorted set of distinct denoms with positive amounts', () => {
    assert.deepEqual(coinsFromWire([{ denom: 'stake', amount: '5' }, { denom: 'utru', amount: '10' }]), [
      { denom: 'stake', amount: 5n },
      { denom: 'utru', amount: 10n },
    ]);
    assert.deepEqual(coinsFromWire([]), []);
    assert.throws(() => coinsFromWire([], { allowEmpty: false }), invalidCoins);
    assert.throws(() => coinsFromWire([{ denom: 'utru', amount: '10' }, { denom: 'stake', amount: '5' }]), invalidCoins, 'unsorted');
    assert.throws(() => coinsFromWire([{ denom: 'utru', amount: '1' }, { denom: 'utru', amount: '2' }]), invalidCoins, 'duplicate');
    assert.throws(() => coinsFromWire([{ denom: 'utru', amount: '0' }]), invalidCoins, 'zero');
  });
});

describe('coin strings', () => {
  test('Coins.String() format', () => {
    assert.equal(coinString({ denom: 'utru', amount: 1234n }), '1234utru');
    assert.equal(coinsString([{ denom: 'stake', amount: 1n }, { denom: 'utru', amount: 5000n }]), '1stake,5000utru');
    assert.equal(coinsString([]), '');
  });

  test('parseCoins reads CLI input, normalising order and duplicates', () => {
    assert.deepEqual(parseCoins('1000utru'), [{ denom: 'utru', amount: 1000n }]);
    assert.deepEqual(parseCoins(' 1000utru , 5stake '), [{ denom: 'stake', amount: 5n }, { denom: 'utru', amount: 1000n }]);
    assert.deepEqual(parseCoins('1utru,2utru'), [{ denom: 'utru', amount: 3n }]);
    assert.deepEqual(parseCoins('0utru,1stake'), [{ denom: 'stake', amount: 1n }]);
    assert.deepEqual(parseCoins(''), []);
    assert.deepEqual(parseCoins('   '), []);
  });

  test('parseCoins rejects malformed input with code 10', () => {
    for (const s of ['utru', '1', '1.5utru', '-1utru', '1 u', '1utru;2stake', '1utru,,2stake', 'abc1utru']) {
      assert.throws(() => parseCoins(s), invalidCoins, JSON.stringify(s));
    }
  });
});

describe('coin arithmetic', () => {
  test('normalizeCoins sums, drops zeros and sorts by denom', () => {
    const coins: Coin[] = [
      { denom: 'utru', amount: 5n },
      { denom: 'atom', amount: 0n },
      { denom: 'stake', amount: 2n },
      { denom: 'utru', amount: 7n },
    ];
    assert.deepEqual(normalizeCoins(coins), [{ denom: 'stake', amount: 2n }, { denom: 'utru', amount: 12n }]);
    assert.deepEqual(normalizeCoins([]), []);
  });

  test('addCoins merges two sets', () => {
    assert.deepEqual(addCoins([{ denom: 'utru', amount: 1n }], [{ denom: 'stake', amount: 2n }, { denom: 'utru', amount: 3n }]), [
      { denom: 'stake', amount: 2n },
      { denom: 'utru', amount: 4n },
    ]);
  });

  test('amountOf is zero for a missing denom', () => {
    const coins = [{ denom: 'utru', amount: 9n }];
    assert.equal(amountOf(coins, 'utru'), 9n);
    assert.equal(amountOf(coins, 'stake'), 0n);
    assert.equal(amountOf([], 'utru'), 0n);
  });
});
