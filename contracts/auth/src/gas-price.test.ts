import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError, ErrInvalidCoins } from '@trucom/chain';
import { gasPriceString, parseGasPrice, requiredFee } from './gas-price.js';

describe('parseGasPrice', () => {
  test('keeps a decimal price as an exact fraction', () => {
    assert.deepEqual(parseGasPrice('0.01utru'), { denom: 'utru', numerator: 1n, denominator: 100n });
    assert.deepEqual(parseGasPrice('1utru'), { denom: 'utru', numerator: 1n, denominator: 1n });
    assert.deepEqual(parseGasPrice('0.025stake'), { denom: 'stake', numerator: 25n, denominator: 1000n });
    assert.deepEqual(parseGasPrice('12.5utru'), { denom: 'utru', numerator: 125n, denominator: 10n });
    assert.deepEqual(parseGasPrice('0utru'), { denom: 'utru', numerator: 0n, denominator: 1n });
    assert.deepEqual(parseGasPrice(' 0.01utru '), { denom: 'utru', numerator: 1n, denominator: 100n });
  });

  test('accepts up to 18 decimals (sdk.Dec precision) and denoms with ibc/ paths', () => {
    assert.deepEqual(parseGasPrice('0.000000000000000001utru'), { denom: 'utru', numerator: 1n, denominator: 10n ** 18n });
    assert.equal(parseGasPrice('0.5ibc/ABCDEF').denom, 'ibc/ABCDEF');
  });

  test('rejects malformed prices with ErrInvalidCoins (code 10)', () => {
    for (const s of ['', 'utru', '0.01', '.01utru', '1.utru', '-1utru', '1,5utru', '0.01u', '0.0000000000000000001utru', '0.01utru,1stake']) {
      assert.throws(
        () => parseGasPrice(s),
        (err: unknown) => err instanceof ChainError && ErrInvalidCoins.is(err) && err.code === 10,
        JSON.stringify(s),
      );
    }
  });
});

describe('requiredFee', () => {
  test('price × gas, rounded up to a whole unit', () => {
    const p = parseGasPrice('0.01utru');
    assert.equal(requiredFee(p, 200_000n), 2000n);
    assert.equal(requiredFee(p, 200_001n), 2001n);
    assert.equal(requiredFee(p, 199_999n), 2000n);
    assert.equal(requiredFee(p, 1n), 1n);
    assert.equal(requiredFee(p, 0n), 0n);
  });

  test('whole and tiny prices', () => {
    assert.equal(requiredFee(parseGasPrice('2utru'), 21n), 42n);
    assert.equal(requiredFee(parseGasPrice('0.025utru'), 3n), 1n);
    assert.equal(requiredFee(parseGasPrice('0.025utru'), 40n), 1n);
    assert.equal(requiredFee(parseGasPrice('0.025utru'), 41n), 2n);
    assert.equal(requiredFee(parseGasPrice('0utru'), 1_000_000n), 0n);
  });

  test('matches cosmjs calculateFee for "auto" fees (ceil(price × gas))', () => {
    // cosmjs: amount = ceil(gasPrice * gasLimit); gasLimit = ceil(simulated * 1.4).
    const simulated = 71_234;
    const gasLimit = BigInt(Math.ceil(simulated * 1.4));
    assert.equal(requiredFee(parseGasPrice('0.01utru'), gasLimit), BigInt(Math.ceil(0.01 * Number(gasLimit))));
  });

  test('exact for gas limits beyond 2^53', () => {
    const gas = 2n ** 60n + 1n;
    assert.equal(requiredFee(parseGasPrice('0.01utru'), gas), (gas + 99n) / 100n);
  });
});

describe('gasPriceString', () => {
  test('prints the canonical decimal form', () => {
    for (const [input, out] of [
      ['0.01utru', '0.01utru'],
      ['1utru', '1utru'],
      ['0.025stake', '0.025stake'],
      ['12.5utru', '12.5utru'],
      ['0.10utru', '0.1utru'],
      ['2.000utru', '2utru'],
      ['0.000000000000000001utru', '0.000000000000000001utru'],
      ['0utru', '0utru'],
    ]) {
      assert.equal(gasPriceString(parseGasPrice(input!)), out, input);
    }
  });

  test('round-trips through parseGasPrice', () => {
    for (const s of ['0.01utru', '3.14159stake', '100utru']) {
      const p = parseGasPrice(s);
      const again = parseGasPrice(gasPriceString(p));
      assert.equal(again.numerator * p.denominator, p.numerator * again.denominator);
      assert.equal(again.denom, p.denom);
    }
  });
});
