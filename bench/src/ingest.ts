/**
 * npm run bench:ingest — UnixFS import of one large file into a blockstore on disk, Trucom's
 * `importFile` (libs/content, default profile, into a fresh DiskBlockstore) against raw
 * `ipfs-unixfs-importer` with the same options into a fresh blockstore-fs FsBlockstore, same run;
 * then storage proofs over that DAG: built with `buildStorageProof` for many seeds, and the rate at
 * which `verifyStorageProof` checks them.
 *
 * The file is BENCH_MIB MiB (default 256) of pseudo-random bytes (AES-128-CTR keystream, fixed key,
 * so both imports see the same bytes and no chunk repeats) generated as it is read, in 64 KiB
 * pieces, never held whole. Each importer runs BENCH_ROUNDS times (default 7) into a new store
 * directory, the order alternating round by round, each run after a `sync`. A run lasts about a
 * second, so page-cache writeback and other processes swing single runs by 2x: the ratio is the
 * median of the rounds' paired ratios (each round runs both importers back to back), with the
 * best-vs-best ratio and the CPU time per MiB beside it. BENCH_PROOFS proofs (default 1000).
 * Progress on stderr, one JSON line on stdout.
 */
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlockstore } from 'blockstore-fs';
import { importer } from 'ipfs-unixfs-importer';
import type { CID } from 'multiformats/cid';
import { DEFAULT_PROFILE, DiskBlockstore, buildStorageProof, importFile, importerOptions, verifyStorageProof } from '@trucom/content';

const MIB = Number(process.env.BENCH_MIB ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const PROOFS = Number(process.env.BENCH_PROOFS ?? 1000);
/** Proofs built, then verified, per batch (a proof holds a 256 KiB leaf: batches bound memory). */
const PROOF_BATCH = 100;
const PIECE = 64 * 1024;
const progress = (msg: string) => process.stderr.write(`[bench:ingest] ${msg}\n`);

/** MIB MiB of keystream in 64 KiB pieces, made as they are read. */
async function* pseudoRandomFile(): AsyncGenerator<Uint8Array> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0));
  const zeros = Buffer.alloc(PIECE);
  for (let left = MIB * 1024 * 1024; left > 0; left -= PIECE) yield cipher.update(left >= PIECE ? zeros : zeros.subarray(0, left));
}

const mbPerS = (bytes: number, ms: number) => Math.round((bytes / 1e6 / (ms / 1000)) * 10) / 10;

interface Round {
  readonly ms: number;
  /** CPU time of the whole process (main thread and libuv's file-system threads). */
  readonly cpuMs: number;
  readonly root: CID;
}

/** Times an import: wall clock and process CPU. */
async function timed(run: () => Promise<CID>): Promise<Round> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const root = await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, root };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function trucomImport(dir: string): Promise<Round> {
  const store = await DiskBlockstore.open(dir);
  const round = await timed(async () => (await importFile(store, pseudoRandomFile(), DEFAULT_PROFILE)).root);
  await store.close();
  return round;
}

async function rawImport(dir: string): Promise<Round> {
  const store = new FsBlockstore(dir);
  await store.open();
  const round = await timed(async () => {
    let root: CID | undefined;
    for await (const entry of importer([{ content: pseudoRandomFile() }], store, importerOptions(DEFAULT_PROFILE))) root = entry.cid;
    return root!;
  });
  await store.close();
  return round;
}

async function main() {
  const home = mkdtempSync(join(tmpdir(), 'trucom-bench-ingest-'));
  try {
    const bytes = MIB * 1024 * 1024;
    // what generating the bytes alone costs (both importers pay it)
    const g0 = performance.now();
    const digest = createHash('sha256');
    for await (const piece of pseudoRandomFile()) digest.update(piece);
    const generateMs = performance.now() - g0;
    progress(`${MIB} MiB of pseudo-random bytes: generated and hashed at ${mbPerS(bytes, generateMs)} MB/s`);

    const runs: { trucom: Round[]; raw: Round[] } = { trucom: [], raw: [] };
    let n = 0;
    let keep = '';
    for (let round = 0; round < ROUNDS; round++) {
      // alternating which goes first (ABBA…), each after a sync so neither pays the other's writeback
      for (const kind of round % 2 === 0 ? (['raw', 'trucom'] as const) : (['trucom', 'raw'] as const)) {
        const dir = join(home, `${kind}-${n++}`);
        spawnSync('sync');
        const r = kind === 'trucom' ? await trucomImport(dir) : await rawImport(dir);
        runs[kind].push(r);
        progress(`round ${round + 1}: ${kind === 'trucom' ? 'importFile (DiskBlockstore)' : 'ipfs-unixfs-importer (FsBlockstore)'}: ${mbPerS(bytes, r.ms)} MB/s (${(r.ms / 1000).toFixed(1)} s, ${Math.round(r.cpuMs)} ms CPU), root ${r.root}`);
        if (kind === 'trucom' && !keep) keep = dir;
        else rmSync(dir, { recursive: true, force: true });
      }
    }
    const root = runs.trucom[0]!.root;
    if (![...runs.trucom, ...runs.raw].every((r) => r.root.equals(root))) throw new Error('the two importers made different roots from the same bytes');
    const best = (rs: Round[]) => Math.min(...rs.map((r) => r.ms));
    const trucomMbS = mbPerS(bytes, best(runs.trucom));
    const rawMbS = mbPerS(bytes, best(runs.raw));
    const pairedRatio = median(runs.trucom.map((t, i) => runs.raw[i]!.ms / t.ms));
    const cpuMsPerMib = (rs: Round[]) => Math.round((median(rs.map((r) => r.cpuMs)) / MIB) * 100) / 100;
    progress(`median of the ${ROUNDS} paired ratios: ${pairedRatio.toFixed(2)}; best vs best: ${(trucomMbS / rawMbS).toFixed(2)}; CPU per MiB: importFile ${cpuMsPerMib(runs.trucom)} ms, raw ${cpuMsPerMib(runs.raw)} ms`);

    // storage proofs over the imported DAG
    const store = await DiskBlockstore.open(keep);
    let verifyMs = 0;
    let buildMs = 0;
    let proofBytes = 0;
    for (let done = 0; done < PROOFS; ) {
      const batch: { seed: Uint8Array; blocks: Uint8Array[] }[] = [];
      const b0 = performance.now();
      for (; batch.length < PROOF_BATCH && done + batch.length < PROOFS; ) {
        const seed = createHash('sha256').update(`trucom-ingest-bench-seed-${done + batch.length}`).digest();
        batch.push({ seed, blocks: await buildStorageProof(root, seed, (cid) => store.getBytes(cid)) });
      }
      buildMs += performance.now() - b0;
      const rootText = root.toString();
      const v0 = performance.now();
      for (const p of batch) {
        const r = verifyStorageProof(rootText, p.seed, p.blocks);
        if (!r.ok) throw new Error(`a proof failed to verify: ${r.reason}`);
      }
      verifyMs += performance.now() - v0;
      for (const p of batch) proofBytes += p.blocks.reduce((s, b) => s + b.length, 0);
      done += batch.length;
    }
    await store.close();
    const proofsPerS = Math.round(PROOFS / (verifyMs / 1000));
    progress(`${PROOFS} storage proofs (${Math.round(proofBytes / PROOFS / 1024)} KiB each on average): verified at ${proofsPerS}/s, built at ${Math.round(PROOFS / (buildMs / 1000))}/s`);
    console.log(
      JSON.stringify({
        bench: 'ingest',
        mib: MIB,
        profile: DEFAULT_PROFILE.name,
        root: root.toString(),
        rounds: ROUNDS,
        trucom_mb_s: trucomMbS,
        raw_importer_mb_s: rawMbS,
        ratio: Math.round(pairedRatio * 100) / 100,
        ratio_best: Math.round((trucomMbS / rawMbS) * 100) / 100,
        trucom_cpu_ms_per_mib: cpuMsPerMib(runs.trucom),
        raw_cpu_ms_per_mib: cpuMsPerMib(runs.raw),
        trucom_rounds_mb_s: runs.trucom.map((r) => mbPerS(bytes, r.ms)),
        raw_rounds_mb_s: runs.raw.map((r) => mbPerS(bytes, r.ms)),
        generate_mb_s: mbPerS(bytes, generateMs),
        proofs: PROOFS,
        proofs_verified_per_s: proofsPerS,
        proofs_built_per_s: Math.round(PROOFS / (buildMs / 1000)),
        proof_kib_avg: Math.round(proofBytes / PROOFS / 1024),
      }),
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

await main();
