import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MsgCreateValidator } from 'cosmjs-types/cosmos/staking/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { Registry } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { accountAddress, toBase64 } from '@trucom/crypto';
import { atomicsToDec, decToAtomics, msgCreateValidator, parseConsensusPubkey, valoperOf } from './staking.js';

const OPERATOR = accountAddress(new Uint8Array(33).fill(2));

test('commission rates: typed decimals to LegacyDec atomics and back', () => {
  assert.equal(decToAtomics('0.05', 'r'), '50000000000000000');
  assert.equal(decToAtomics('1', 'r'), '1000000000000000000');
  assert.equal(decToAtomics('0', 'r'), '0');
  assert.equal(decToAtomics('0.000000000000000001', 'r'), '1');
  assert.throws(() => decToAtomics('1.01', 'r'), /at most 1/);
  assert.throws(() => decToAtomics('-0.1', 'r'), /expected a decimal/);
  assert.throws(() => decToAtomics('5%', 'r'), /expected a decimal/);
  assert.equal(atomicsToDec('50000000000000000'), '0.050000000000000000');
  assert.equal(atomicsToDec('1000000000000000000'), '1.000000000000000000');
});

test('--pubkey: base64 of 32 bytes, or the SDK JSON form', () => {
  const key = new Uint8Array(32).fill(7);
  assert.deepEqual(parseConsensusPubkey(toBase64(key)), key);
  assert.deepEqual(parseConsensusPubkey(JSON.stringify({ '@type': '/cosmos.crypto.ed25519.PubKey', key: toBase64(key) })), key);
  assert.throws(() => parseConsensusPubkey(toBase64(new Uint8Array(33))), /32 bytes/);
  assert.throws(() => parseConsensusPubkey('not base64!'), /base64/);
  assert.throws(() => parseConsensusPubkey(JSON.stringify({ '@type': '/cosmos.crypto.secp256k1.PubKey', key: toBase64(key) })), /only ed25519/);
});

test('MsgCreateValidator: operator address from the account, ed25519 Any key, encodes with the cosmjs registry', () => {
  const key = new Uint8Array(32).fill(9);
  const msg = msgCreateValidator({
    operatorAccount: OPERATOR,
    amount: { denom: 'utru', amount: '10000000' },
    pubkey: key,
    moniker: 'five',
    commissionRate: '0.05',
    commissionMaxRate: '0.2',
    commissionMaxChangeRate: '0.01',
    minSelfDelegation: '1',
  });
  const bytes = new Registry(defaultRegistryTypes).encode(msg);
  const decoded = MsgCreateValidator.decode(bytes);
  assert.equal(decoded.validatorAddress, valoperOf(OPERATOR));
  assert.match(decoded.validatorAddress, /^truvaloper1/);
  assert.equal(decoded.delegatorAddress, OPERATOR);
  assert.equal(decoded.pubkey!.typeUrl, '/cosmos.crypto.ed25519.PubKey');
  assert.deepEqual(PubKey.decode(decoded.pubkey!.value).key, key);
  assert.deepEqual(decoded.commission, { rate: '50000000000000000', maxRate: '200000000000000000', maxChangeRate: '10000000000000000' });
  assert.deepEqual(decoded.value, { denom: 'utru', amount: '10000000' });
  const base = { operatorAccount: OPERATOR, amount: { denom: 'utru', amount: '10' }, pubkey: key, moniker: 'm', commissionMaxRate: '0.2', commissionMaxChangeRate: '0.01', minSelfDelegation: '1' };
  assert.throws(() => msgCreateValidator({ ...base, commissionRate: '0.3' }), /above --commission-max-rate/);
  assert.throws(() => msgCreateValidator({ ...base, commissionRate: '0.1', minSelfDelegation: '11' }), /below --min-self-delegation/);
  assert.throws(() => msgCreateValidator({ ...base, commissionRate: '0.1', moniker: ' ' }), /--moniker/);
});
