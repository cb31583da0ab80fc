import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IndexedTx } from '@cosmjs/stargate';
import { fromBase64, sha256, toUpperHex } from '@trucom/crypto';
import { formatDeliverTx } from './tx.js';
import { blockView, formatAccount, formatBlock, formatTx, txView } from './query.js';

// A MsgSend signed by `trucom tx bank send publisher <alice> 1500000utru --memo hello` on a devnet.
const TX = fromBase64(
  'CpMBCokBChwvY29zbW9zLmJhbmsudjFiZXRhMS5Nc2dTZW5kEmkKKnRydTFteWN0M3o5ZmVuNnMyZ2F2eHB1dHM3aDhybjB5aGMzcXFwM2Z2ehIqdHJ1MTJmbXlwMzdxY2Y2dm44eXh0eHRuendyNnRyZWZhdjJudGNuYzJnGg8KBHV0cnUSBzE1MDAwMDASBWhlbGxvEmMKTgpGCh8vY29zbW9zLmNyeXB0by5zZWNwMjU2azEuUHViS2V5EiMKIQP6V0sRoe6rlqJOudRoPmM6LcZtK6FHRhcG+nAE8gJlkRIECgIIARIRCgsKBHV0cnUSAzgzNxCfjQUaQJvZyl9cubHkcgbzzdeSHYTxJeP52lKE9879aWTjLLcFYSYvHB/wd0paBWChaq7+7mQBrq62ovRZ83Fo1d7HHd4=',
);
const HASH = toUpperHex(sha256(TX));
const FROM = 'tru1myct3z9fen6s2gavxputs7h8rn0yhc3qqp3fvz';
const TO = 'tru12fmyp37qcf6vn8yxtxtnzwr6trefav2ntcnc2g';

test('query tx decodes the body and fee', () => {
  const indexed: IndexedTx = { height: 23, txIndex: 0, hash: HASH, code: 0, events: [], rawLog: '', tx: TX as Uint8Array<ArrayBuffer>, msgResponses: [], gasUsed: 55985n, gasWanted: 83615n };
  const view = txView(indexed);
  assert.deepEqual(view.body.messages, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: FROM, toAddress: TO, amount: [{ denom: 'utru', amount: '1500000' }] } }]);
  assert.deepEqual(view.fee, { amount: [{ denom: 'utru', amount: '837' }], gasLimit: 83615n });
  assert.equal(
    formatTx(view),
    [
      `txhash: ${HASH}`,
      'height: 23',
      'index:  0',
      'code:   0',
      'gas:    55985 used / 83615 wanted',
      'fee:    837utru (0.000837 TRU), gas limit 83615',
      'memo:   hello',
      `msg[0]: /cosmos.bank.v1beta1.MsgSend ${FROM} → ${TO} 1500000utru (1.5 TRU)`,
      '',
    ].join('\n'),
  );
});

test('a failed tx shows its log', () => {
  const text = formatDeliverTx({ height: 9, txIndex: 0, code: 5, transactionHash: HASH, events: [], rawLog: 'insufficient funds', msgResponses: [], gasUsed: 1n, gasWanted: 2n });
  assert.match(text, /^code: +5$/m);
  assert.match(text, /^log: +insufficient funds$/m);
  assert.doesNotMatch(formatDeliverTx({ height: 9, txIndex: 0, code: 0, transactionHash: HASH, events: [], rawLog: '', msgResponses: [], gasUsed: 1n, gasWanted: 2n }), /log:/);
});

test('query account shows a missing pubkey plainly', () => {
  assert.equal(formatAccount({ address: TO, pubkey: null, accountNumber: 4n, sequence: 0 }), `address:        ${TO}\naccount_number: 4\nsequence:       0\npubkey:         (none: no tx signed yet)\n`);
});

test('query block: hashes in upper-case hex, tx hashes computed', () => {
  const hash = (b: number) => new Uint8Array(32).fill(b);
  const time = Object.assign(new Date('2026-11-22T00:46:22.879Z'), { nanoseconds: 5 });
  const view = blockView({
    blockId: { hash: hash(0xab), parts: { total: 1, hash: hash(1) } },
    block: {
      header: {
        version: { block: 11, app: 0 },
        chainId: 'trucom-devnet-1',
        height: 23,
        time,
        lastBlockId: null,
        lastCommitHash: hash(2),
        dataHash: hash(3),
        validatorsHash: hash(4),
        nextValidatorsHash: hash(4),
        consensusHash: hash(5),
        appHash: hash(6),
        lastResultsHash: hash(7),
        evidenceHash: hash(8),
        proposerAddress: new Uint8Array(20).fill(0xcd),
      },
      lastCommit: null,
      txs: [TX],
      evidence: [],
    },
  });
  assert.equal(view.block_id.hash, 'AB'.repeat(32));
  assert.equal(view.header.time, '2026-11-22T00:46:22.879000005Z');
  assert.deepEqual(view.txs, [{ hash: HASH, tx: TX }]);
  const text = formatBlock(view);
  assert.match(text, /^height: +23$/m);
  assert.match(text, /^last_block: +\(none\)$/m);
  assert.match(text, new RegExp(`^tx\\[0\\]: +${HASH}$`, 'm'));
  assert.doesNotMatch(text, /signatures/);
});
