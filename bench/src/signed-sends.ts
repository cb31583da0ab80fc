/**
 * The pre-signed load both transaction benchmarks offer: account i sends 1utru to account i+1, with
 * sequences 0…perAccount-1, in (sequence, account) order. Signing takes minutes here (75,000
 * secp256k1 signatures in JS for bench:consensus), and the txs depend only on the parameters below,
 * so they are kept in the temp dir and reused by the next run with the same parameters.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { sha256, toHex, utf8 } from '@trucom/crypto';
import { signTx } from '@trucom/chain';

export interface BenchKey {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly address: string;
}

export interface SendsPlan {
  readonly keys: readonly BenchKey[];
  readonly perAccount: number;
  readonly chainId: string;
  /** The account number of keys[0]; the others follow in order. */
  readonly firstAccountNumber: number;
  /** Fee in utru. */
  readonly fee: string;
}

/** Bump when the txs built from the same plan change. */
const FORMAT = 1;

export function signedSends(plan: SendsPlan, progress: (msg: string) => void): Uint8Array[] {
  const { keys, perAccount, chainId, firstAccountNumber, fee } = plan;
  const id = toHex(sha256(utf8(JSON.stringify({ FORMAT, chainId, firstAccountNumber, fee, perAccount, accounts: keys.map((k) => k.address) })))).slice(0, 16);
  const file = join(tmpdir(), `trucom-bench-sends-${id}.bin`);
  if (existsSync(file)) {
    progress(`reusing ${keys.length * perAccount} signed txs from ${file}`);
    return unframe(readFileSync(file));
  }
  progress(`signing ${keys.length * perAccount} txs from ${keys.length} accounts…`);
  const txs: Uint8Array[] = [];
  for (let seq = 0; seq < perAccount; seq++) {
    keys.forEach((k, i) => {
      const to = keys[(i + 1) % keys.length]!.address;
      txs.push(
        signTx(
          {
            messages: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.encode({ fromAddress: k.address, toAddress: to, amount: [{ denom: 'utru', amount: '1' }] }).finish() }],
            fee: [{ denom: 'utru', amount: fee }],
            gasLimit: 100_000n,
            chainId,
            accountNumber: BigInt(firstAccountNumber + i),
            sequence: BigInt(seq),
          },
          k,
        ),
      );
    });
  }
  writeFileSync(`${file}.partial`, frame(txs));
  renameSync(`${file}.partial`, file); // a run stopped mid-write leaves no truncated cache behind
  return txs;
}

/** Each tx as a 4-byte big-endian length and its bytes. */
function frame(txs: readonly Uint8Array[]): Buffer {
  return Buffer.concat(
    txs.flatMap((tx) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(tx.length);
      return [length, tx];
    }),
  );
}

function unframe(bytes: Buffer): Uint8Array[] {
  const txs: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    txs.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return txs;
}
