import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as errors from './errors.js';
import { asChainError, ChainError, ErrInsufficientFunds, ErrOutOfGas, ErrPanic, registerError } from './errors.js';

describe('ChainError and registered kinds', () => {
  test('a kind creates ChainErrors with its codespace, code and the SDK message format', () => {
    const err = ErrInsufficientFunds('spendable balance 1utru is smaller than 2utru');
    assert.ok(err instanceof ChainError);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'ChainError');
    assert.equal(err.codespace, 'sdk');
    assert.equal(err.code, 5);
    assert.equal(err.description, 'insufficient funds');
    assert.equal(err.message, 'spendable balance 1utru is smaller than 2utru: insufficient funds');
  });

  test('without a detail the message is the description', () => {
    assert.equal(ErrOutOfGas().message, 'out of gas');
  });

  test('is() matches by codespace and code, not by message', () => {
    assert.equal(ErrOutOfGas.is(ErrOutOfGas('x')), true);
    assert.equal(ErrOutOfGas.is(new ChainError('sdk', 11, 'something else')), true);
    assert.equal(ErrOutOfGas.is(new ChainError('other', 11, 'out of gas')), false);
    assert.equal(ErrOutOfGas.is(ErrInsufficientFunds()), false);
    assert.equal(ErrOutOfGas.is(new Error('out of gas')), false);
    assert.equal(ErrOutOfGas.is(undefined), false);
  });

  test('a module can register its own codespace', () => {
    const ErrDealExpired = registerError('market', 3, 'deal expired');
    const err = ErrDealExpired('deal 7');
    assert.equal(err.codespace, 'market');
    assert.equal(err.code, 3);
    assert.equal(ErrDealExpired.description, 'deal expired');
    assert.equal(ErrDealExpired.is(err), true);
  });

  test('the SDK codes cosmjs and explorers rely on (types/errors/errors.go)', () => {
    const expected: Record<string, number> = {
      ErrTxDecode: 2,
      ErrInvalidSequence: 3,
      ErrUnauthorized: 4,
      ErrInsufficientFunds: 5,
      ErrUnknownRequest: 6,
      ErrInvalidAddress: 7,
      ErrInvalidPubKey: 8,
      ErrUnknownAddress: 9,
      ErrInvalidCoins: 10,
      ErrOutOfGas: 11,
      ErrMemoTooLarge: 12,
      ErrInsufficientFee: 13,
      ErrTooManySignatures: 14,
      ErrNoSignatures: 15,
      ErrInvalidRequest: 18,
      ErrTxInMempoolCache: 19,
      ErrMempoolIsFull: 20,
      ErrTxTooLarge: 21,
      ErrKeyNotFound: 22,
      ErrInvalidChainID: 28,
      ErrInvalidType: 29,
      ErrTxTimeoutHeight: 30,
      ErrUnknownExtensionOptions: 31,
      ErrWrongSequence: 32,
      ErrNotSupported: 37,
      ErrNotFound: 38,
      ErrPanic: 111222,
    };
    for (const [name, code] of Object.entries(expected)) {
      const kind = (errors as unknown as Record<string, errors.ErrorKind>)[name]!;
      assert.equal(kind.code, code, name);
      assert.equal(kind.codespace, 'sdk', name);
    }
    assert.equal(errors.ErrWrongSequence.description, 'incorrect account sequence');
    assert.equal(errors.ErrTxInMempoolCache.description, 'tx already in mempool');
    assert.equal(errors.ErrKeyNotFound.description, 'key not found');
  });
});

describe('asChainError', () => {
  test('passes ChainErrors through unchanged', () => {
    const e = ErrInsufficientFunds('x');
    assert.equal(asChainError(e), e);
  });

  test('turns anything else into a panic (code 111222) keeping the message', () => {
    const fromError = asChainError(new TypeError('boom'));
    assert.ok(ErrPanic.is(fromError));
    assert.equal(fromError.message, 'boom: panic');
    const fromString = asChainError('bad');
    assert.ok(ErrPanic.is(fromString));
    assert.equal(fromString.message, 'bad: panic');
  });
});
