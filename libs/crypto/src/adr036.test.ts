import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Secp256k1HdWallet } from '@cosmjs/amino';
import { adr036Problem, adr036SignDoc, signAdr036 } from './adr036.js';
import { accountKeyFromMnemonic } from './mnemonic.js';
import { VECTOR } from './testing/cosmjs-msgsend-vector.js';

describe('ADR-036 arbitrary-data signatures', () => {
  test('match what an amino wallet (Keplr signArbitrary) produces, and verify', async () => {
    const key = await accountKeyFromMnemonic(VECTOR.mnemonic);
    const wallet = await Secp256k1HdWallet.fromMnemonic(VECTOR.mnemonic, { prefix: 'tru' });
    const data = 'trucom-upload 127.0.0.1:8080 1795000000';
    const ours = signAdr036(key.privateKey, data);
    assert.equal(ours.signer, key.address);
    const theirs = await wallet.signAmino(key.address, adr036SignDoc(key.address, data));
    assert.deepEqual(ours.signature, theirs.signature);
    assert.equal(adr036Problem(key.address, data, theirs.signature), undefined);
  });

  test('every forgery is named', async () => {
    const key = await accountKeyFromMnemonic(VECTOR.mnemonic);
    const other = await accountKeyFromMnemonic('abandon '.repeat(23) + 'art');
    const { signer, signature } = signAdr036(key.privateKey, 'hello');
    assert.equal(adr036Problem(signer, 'hello!', signature), 'signature does not verify');
    assert.match(adr036Problem(other.address, 'hello', signature)!, /does not belong to/);
    assert.match(adr036Problem(signer, 'hello', { ...signature, signature: '***' })!, /base64/);
    assert.match(adr036Problem(signer, 'hello', { ...signature, pub_key: { type: 'tendermint/PubKeyEd25519', value: signature.pub_key.value } })!, /PubKeySecp256k1/);
    assert.match(adr036Problem(signer, 'hello', { ...signature, pub_key: { ...signature.pub_key, value: 'AAAA' } })!, /33-byte/);
  });
});
