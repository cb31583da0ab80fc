// Scratch: one validator's ledger path per tx, in-process (admission, execution, commit), no network.
import '@trucom/nest-common/polyfills';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { accountAddress, secp256k1PublicKey, sha256, utf8 } from '@trucom/crypto';
import { signTx, ChainNode, CommittedState, openChainDB, SignatureCache, WorkerPoolVerifier, makeValidator } from '@trucom/chain';
import { createTrucomApp, parseTime, readGenesis } from '@trucom/app';
import { createDevnet, devnetLayout, validatorHome } from '@trucom/cli/devnet';

const ACCOUNTS = 400, BLOCKS = Number(process.env.BLOCKS ?? 12), PER_BLOCK = Number(process.env.PER_BLOCK ?? 1000);
const home = mkdtempSync(join(tmpdir(), 'pipeline-'));
const layout = devnetLayout(home);
const keys = Array.from({ length: ACCOUNTS }, (_, i) => { const privateKey = sha256(utf8(`trucom-consensus-bench-${i}`)); const publicKey = secp256k1PublicKey(privateKey); return { privateKey, publicKey, address: accountAddress(publicKey) }; });
await createDevnet(layout, keys.map((k) => ({ address: k.address, amount: 10n ** 15n })));
const g = readGenesis(join(layout.dir, 'genesis.json'));
const first = g.app_state.auth.accounts.findIndex((a) => a.address === keys[0].address);
const txs = [];
const cacheFile = `/tmp/pipeline-txs-${BLOCKS * PER_BLOCK}.bin`;
const fsx = await import('node:fs');
if (fsx.existsSync(cacheFile)) { const buf = fsx.readFileSync(cacheFile); for (let at = 0; at < buf.length; ) { const len = buf.readUInt32BE(at); txs.push(new Uint8Array(buf.subarray(at + 4, at + 4 + len))); at += 4 + len; } }
for (let seq = 0; txs.length < BLOCKS * PER_BLOCK; seq++) keys.forEach((k, i) => txs.push(signTx({ messages: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.encode({ fromAddress: k.address, toAddress: keys[(i + 1) % ACCOUNTS].address, amount: [{ denom: 'utru', amount: '1' }] }).finish() }], fee: [{ denom: 'utru', amount: '2000' }], gasLimit: 100_000n, chainId: layout.chainId, accountNumber: BigInt(first + i), sequence: BigInt(seq) }, k)));
if (!fsx.existsSync(cacheFile)) fsx.writeFileSync(cacheFile, Buffer.concat(txs.flatMap((t) => { const l = Buffer.alloc(4); l.writeUInt32BE(t.length); return [l, t]; })));
const db = await openChainDB(join(home, 'data'));
const verifier = new WorkerPoolVerifier();
const app = createTrucomApp({ chainId: g.chain_id, state: await CommittedState.open(db), signatures: new SignatureCache(verifier), minGasPrice: '0.01utru' });
const node = await ChainNode.open({ db, app, genesis: { chainId: g.chain_id, time: parseTime(g.genesis_time), validators: g.validators.map((v) => makeValidator(Buffer.from(v.pub_key.value, 'base64'), Number(v.power), v.name)), appState: g.app_state }, maxBlockBytes: 21e6 });
const proposer = node.validators[0].address;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const phases = { admit: 0, propose: 0, commit: 0 };
const session = process.env.PROFILE ? new (await import('node:inspector/promises')).Session() : undefined;
if (session) { session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 100 }); await session.post('Profiler.start'); }
const fs0 = await import("node:fs"); const threadCpu = () => Object.fromEntries(fs0.readdirSync("/proc/self/task").map((t) => { const st = fs0.readFileSync(`/proc/self/task/${t}/stat`, "utf8"); const f = st.slice(st.lastIndexOf(")") + 2).split(" "); return [t, (Number(f[11]) + Number(f[12])) * 10]; })); const before = threadCpu();
if (session && process.env.HEAP) { await session.post('Profiler.stop'); await session.post('HeapProfiler.enable'); await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }); }
let t0 = cpu(); let sec = 1_700_000_100;
const wall0 = performance.now();
for (let b = 0; b < BLOCKS; b++) {
  let t = cpu();
  const BACKLOG = Number(process.env.BACKLOG ?? 0);
  const batch = b === 0 ? txs.slice(0, (1 + BACKLOG) * PER_BLOCK) : txs.slice((b + BACKLOG) * PER_BLOCK, (b + 1 + BACKLOG) * PER_BLOCK);
  const res = await Promise.all(batch.map((raw) => node.submitTx(raw, 'peer')));
  const bad = res.filter((r) => r.code !== 0); if (bad.length) throw new Error(bad[0].log);
  phases.admit += cpu() - t; t = cpu();
  const block = node.proposeBlock(proposer, { seconds: sec++, nanos: 0 });
  if (process.env.BACKLOG) block.data.txs = block.data.txs.slice(0, PER_BLOCK), block.header.dataHash = (await import('@trucom/chain')).dataHash(block.data.txs);
  phases.propose += cpu() - t; t = cpu();
  await node.commitBlock(block, { height: block.header.height, round: 0, blockId: { hash: new Uint8Array(32), partSetHeader: { total: 1, hash: new Uint8Array(32) } }, signatures: [] });
  phases.commit += cpu() - t;
}
const n = BLOCKS * PER_BLOCK, total = cpu() - t0;
if (session && process.env.HEAP) { const { profile } = await session.post('HeapProfiler.stopSampling'); (await import('node:fs')).writeFileSync(process.env.HEAP, JSON.stringify(profile)); } else if (session) { const { profile } = await session.post('Profiler.stop'); (await import('node:fs')).writeFileSync(process.env.PROFILE, JSON.stringify(profile)); }
console.log(JSON.stringify({ txs: n, main_cpu_ms_per_tx: +(total / n).toFixed(4), admit: +(phases.admit / n).toFixed(4), propose: +(phases.propose / n).toFixed(4), commit: +(phases.commit / n).toFixed(4), wall_s: +((performance.now() - wall0) / 1000).toFixed(2) }));
const fs = await import('node:fs');
const threads = {};
for (const t of fs.readdirSync('/proc/self/task')) { const st = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8'); const comm = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); const ms = (Number(f[11]) + Number(f[12])) * 10; if (ms - (before[t] ?? 0) > 0) threads[`${t}:${comm}`] = ms - (before[t] ?? 0); }
console.log(JSON.stringify(threads));
await verifier.close(); await db.close(); fs.rmSync(home, { recursive: true, force: true });
