/**
 * npm run bench:tx — committed transfer throughput of a one-validator chain, end to end.
 *
 * Starts a real validator process on a fresh chain whose genesis funds ACCOUNTS accounts, signs
 * ACCOUNTS × PER_ACCOUNT MsgSend txs ahead of time, submits them over JSON-RPC (broadcast_tx_sync in
 * batches; each account's txs on one connection, in sequence order) and measures from the committed
 * blocks: throughput over the blocks that carried the load, and per-tx latency from submission to
 * the NewBlock event that announced it. For context it also measures, in the same run, the
 * secp256k1 verification paths side by side: libsecp256k1 (what the node uses), OpenSSL, pure JS.
 * Prints progress on stderr and one final JSON line on stdout.
 */
import '@trucom/nest-common/polyfills';
import http from 'node:http';
import { accountAddress, secp256k1PublicKey, sha256, toUpperHex, utf8 } from '@trucom/crypto';
import { createLocalChain } from '@trucom/testkit';
import { signedSends } from './signed-sends.js';
import { verifyRates } from './verify-rates.js';
import { collectCommits, loadFigures, post, rpcClient, watchHeaders, type BenchTx } from './commits.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 200);
const PER_ACCOUNT = Number(process.env.BENCH_TXS_PER_ACCOUNT ?? 75);
const LANES = 4;
const BATCH = 200;
const RPC_PORT = Number(process.env.BENCH_RPC_PORT ?? 26757);
const progress = (msg: string) => process.stderr.write(`[bench:tx] ${msg}\n`);

interface SignedTx extends BenchTx {
  readonly hash: string;
  code?: number;
}

async function main() {
  const verify = verifyRates();
  progress(`secp256k1 verify/s on one core: libsecp256k1 ${verify.libsecp256k1 ?? 'n/a'}, OpenSSL ${verify.openssl}, pure JS ${verify.pure_js}`);

  const keys = Array.from({ length: ACCOUNTS }, (_, i) => {
    const privateKey = sha256(utf8(`trucom-bench-${i}`));
    const publicKey = secp256k1PublicKey(privateKey);
    return { privateKey, publicKey, address: accountAddress(publicKey) };
  });
  const chain = createLocalChain({ balances: keys.map((k) => ({ address: k.address, amount: 10n ** 15n })), rpcPort: RPC_PORT, blockTimeMs: 1000 });
  try {
    const lanes: SignedTx[][] = Array.from({ length: LANES }, () => []);
    const byHash = new Map<string, SignedTx>();
    signedSends({ keys, perAccount: PER_ACCOUNT, chainId: chain.chainId, firstAccountNumber: 0, fee: '1000' }, progress).forEach((raw, n) => {
      const tx: SignedTx = { raw: Buffer.from(raw).toString('base64'), hash: toUpperHex(sha256(raw)) };
      lanes[(n % ACCOUNTS) % LANES]!.push(tx);
      byHash.set(tx.hash, tx);
    });
    const total = byHash.size;

    progress('starting the validator…');
    await chain.start();
    // Commit times come from NewBlockHeader events (small); which txs each block holds is read
    // afterwards with the `block` method, so measuring does not load the node while it works.
    const { headers, close: closeHeaders } = await watchHeaders(RPC_PORT);
    const node = rpcClient(RPC_PORT);
    const startHeight = Number((await node.call('status', {})).sync_info.latest_block_height);

    progress(`submitting over ${LANES} connections in batches of ${BATCH}…`);
    let rejected = 0;
    const started = performance.now();
    await Promise.all(
      lanes.map(async (lane) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        for (let i = 0; i < lane.length; i += BATCH) {
          const batch = lane.slice(i, i + BATCH);
          const body = JSON.stringify(batch.map((tx, j) => ({ jsonrpc: '2.0', id: i + j, method: 'broadcast_tx_sync', params: { tx: tx.raw } })));
          const sentAt = performance.now();
          for (const tx of batch) tx.submittedAt = sentAt;
          const responses = JSON.parse(await post(RPC_PORT, agent, body)) as { result?: { code: number; log: string } }[];
          responses.forEach((r, j) => {
            batch[j]!.code = r.result?.code ?? -1;
            if (r.result?.code !== 0) rejected++;
          });
        }
        agent.destroy();
      }),
    );
    const submitSeconds = (performance.now() - started) / 1000;
    progress(`submitted in ${submitSeconds.toFixed(1)} s (${rejected} rejected at CheckTx)`);
    const txs = [...byHash.values()];
    const blocks = await collectCommits({
      headers,
      block: async (h) => (await node.call('block', { height: String(h) })).block,
      txs,
      startHeight,
      expected: total - rejected,
      stallMs: 120_000,
      progress,
    });
    closeHeaders();
    node.close();
    const figures = loadFigures(blocks, txs, 1000);
    const result = {
      bench: 'tx',
      validators: 1,
      txs: total,
      ...figures,
      rejected,
      secp256k1_verify_per_s_one_core: verify,
    };
    console.log(JSON.stringify(result));
  } finally {
    await chain.destroy();
  }
}

await main();
