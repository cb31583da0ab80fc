/**
 * Consensus faults with four real validator processes talking Tendermint over libp2p (the
 * in-process versions are in libs/consensus/src/engine/engine.test.ts): a crash and a restart (also
 * through `trucom validator start`), two of four down, a 2|2 partition and its healing, garbage and
 * forged messages from a peer, repeated SIGKILLs under a tx load, and a double-signing validator.
 * After each fault every running validator must hold the same chain: the same block hash and app
 * hash at every height they have in common.
 *
 * One network (created with the CLI's devnet code, see support/validator-net.ts) runs through the
 * tests in order; each test first brings it back to four healthy validators. The double signer
 * comes last since slashing takes it out of the validator set. Ports 31000-31099.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { Block, BlockIDFlag, commitHash, dataHash, headerHash, makeValidator, merkleRoot, SignedMsgType, type ValidatorInfo } from '@trucom/chain';
import { ConsensusMessage, loadPrivValidator, proposalSignBytes, ProposerRotation, TOPICS, voteSignBytesOf } from '@trucom/consensus';
import { fromBase64, fromHex, generateEd25519Key, sha256, signEd25519, toUpperHex, validatorAddress } from '@trucom/crypto';
import { P2PNode } from '@trucom/p2p';
import { waitFor } from '@trucom/testkit';
import { coins, msgSend, signTx, type TestAccount } from '../../contracts/app/dist/testing.js';
import { broadcastSync, makeTempDir, rpc, waitForEmptyMempool } from './support/index.js';
import { ValidatorNet } from './support/validator-net.js';

/**
 * Below Linux's ephemeral range (32768-60999): a port a killed validator frees could otherwise be
 * taken as the source port of some outbound connection before it restarts (seen: EADDRINUSE).
 */
const PORTS = { rpc: 31007, p2p: 31006, rest: 31001 };
const ALL = [0, 1, 2, 3];
/** "No progress" means the height moves by at most one (a block already decided may still land) in this window. */
const HALT_WINDOW_MS = 3000;
const FEE = { amount: coins('2000utru'), gas: '200000' };
/** Seed of the random kill moments (TRUCOM_FAULTS_SEED overrides it to replay a run). */
const SEED = Number(process.env.TRUCOM_FAULTS_SEED ?? 20241122);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CometBFT's RFC 3339 time with nanoseconds (as the RPC renders it) back to seconds and nanos. */
function parseRfc3339(s: string): { seconds: number; nanos: number } {
  const m = /^(.*?)(?:\.(\d{1,9}))?Z$/.exec(s);
  assert.ok(m, `an RFC 3339 time: ${s}`);
  return { seconds: Math.floor(Date.parse(`${m[1]}Z`) / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

/** mulberry32: a small seeded PRNG, so kill moments can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface EvidenceJson {
  type: string;
  value: { vote_a: VoteJson; vote_b: VoteJson; TotalVotingPower: string; ValidatorPower: string; Timestamp: string };
}
interface VoteJson {
  type: number;
  height: string;
  round: number;
  block_id: { hash: string };
  validator_address: string;
  signature: string;
}

describe('consensus faults across four validator processes', { timeout: 360_000 }, () => {
  let net: ValidatorNet;

  before(async () => {
    net = await ValidatorNet.create(PORTS);
    await net.startAll();
    await net.waitForHeight(ALL, 2, 60_000);
  });

  after(async () => {
    await net?.destroy();
  });

  /** Back to four connected validators that all make progress (restarts whatever a test left stopped). */
  async function healthy(): Promise<void> {
    net.heal();
    for (const i of ALL) if (!net.isRunning(i)) net.start(i);
    await net.waitForProgress(ALL, 1, 60_000);
  }

  /** Peer ids validator i is connected to (net_info). */
  async function connectedTo(i: number): Promise<string[]> {
    const r = await rpc(net.rpcUrls[i]!, 'net_info');
    return (r.peers as { node_info: { id: string } }[]).map((p) => p.node_info.id);
  }

  /** Penalties validator i logged against `peer` (p2p: peer penalized), with their reasons. */
  function penalties(i: number, peer: string): string[] {
    return net.logLines(i, /^p2p: peer penalized$/).filter((l) => l.peer === peer).map((l) => String(l.reason));
  }

  /** The /block evidence lists of heights [from, to] on validator i, by height (only heights with evidence). */
  async function evidenceIn(i: number, from: number, to: number): Promise<Map<number, EvidenceJson[]>> {
    const out = new Map<number, EvidenceJson[]>();
    for (let h = from; h <= to; h++) {
      const b = await net.block(i, h);
      const list = b.block.evidence.evidence as EvidenceJson[];
      if (list.length > 0) out.set(h, list);
    }
    return out;
  }

  it('one of four SIGKILLed: three go on; restarted with `trucom validator start`, it catches up and votes again', async (t) => {
    const victim = 2;
    const others = [0, 1, 3];
    const { signal } = await net.kill(victim, 'SIGKILL');
    assert.equal(signal, 'SIGKILL');
    const killedAt = await net.maxHeight(others);
    await net.waitForHeight(others, killedAt + 3, 30_000);
    await net.assertAgreement(others);

    // the devnet's restart hint: `trucom validator start --home <home>` runs one devnet validator alone
    net.start(victim, { viaCli: true });
    const restartedAt = await net.maxHeight(others);
    const [caughtUp] = await net.waitForHeight([victim], restartedAt, 60_000);
    t.diagnostic(`v${victim} killed at height ${killedAt}, restarted at ${restartedAt}, caught up to ${caughtUp}`);
    await net.waitForProgress(ALL, 2, 30_000);
    const top = await net.assertAgreement(ALL);
    assert.ok(top > restartedAt);
    assert.ok(net.logLines(victim, /^validator started$/).length >= 2, 'the CLI-run validator logged its start');

    // it signs again: its precommit is in the last commit of a block after it came back
    const address = net.addresses[victim]!;
    const signedIn = await waitFor(`v${victim}'s signature in a last commit`, async () => {
      const h = await net.height(0);
      if (h <= caughtUp + 1) return undefined;
      const b = await net.block(0, h);
      const sigs = b.block.last_commit.signatures as { validator_address: string; signature: string | null }[];
      return sigs.some((s) => s.validator_address === address && s.signature) ? h : undefined;
    }, 30_000, 200);
    t.diagnostic(`v${victim}'s precommit is in block ${signedIn}'s last commit`);

    // and `trucom validator start` stops cleanly on SIGTERM
    const stopped = await net.kill(victim, 'SIGTERM');
    assert.deepEqual(stopped, { code: 0, signal: null }, `trucom validator start exits with code 0 on SIGTERM; log ${net.logFile(victim)}`);
    assert.ok(net.logLines(victim, /^validator stopped$/).length >= 1);
  });

  it('two of four SIGKILLed: the chain halts; one back: progress resumes without a fork', async (t) => {
    await healthy();
    await net.kill(1, 'SIGKILL');
    await net.kill(3, 'SIGKILL');
    const left = [0, 2];
    await sleep(300); // a height already decided may still be committed
    const halted = await net.maxHeight(left);
    await sleep(HALT_WINDOW_MS);
    const still = await net.maxHeight(left);
    assert.ok(still <= halted + 1, `no progress with 2 of 4: height ${halted} → ${still} in ${HALT_WINDOW_MS} ms`);
    assert.ok(left.every((i) => net.isRunning(i)), 'the two left are still running');

    net.start(1);
    const [resumed] = await net.waitForHeight([0, 1, 2], still + 2, 60_000);
    t.diagnostic(`halted at ${halted}..${still}; with v1 back: height ${resumed}`);
    await net.assertAgreement([0, 1, 2]);
  });

  it('a 2|2 partition: no progress while split; healed: progress and one chain', async (t) => {
    await healthy();
    const [a, b] = [[0, 1], [2, 3]];
    net.partition(a, b);
    await waitFor('the partition to take effect (net_info)', async () => {
      for (const [side, other] of [[a, b], [b, a]] as const) {
        const otherIds = other.map((j) => net.peerIds[j]!);
        for (const i of side) if ((await connectedTo(i)).some((id) => otherIds.includes(id))) return undefined;
      }
      return true;
    }, 15_000, 200);
    await sleep(300);
    const split = await net.maxHeight(ALL);
    await sleep(HALT_WINDOW_MS);
    const still = await net.maxHeight(ALL);
    assert.ok(still <= split + 1, `no progress while split 2|2: height ${split} → ${still} in ${HALT_WINDOW_MS} ms`);
    assert.ok(ALL.every((i) => net.isRunning(i)));

    net.heal();
    const [healedTo] = await net.waitForHeight(ALL, still + 2, 60_000);
    t.diagnostic(`split at ${split}..${still}; healed: height ${healedTo}`);
    await net.assertAgreement(ALL);
  });

  it('garbage, forged and oversized consensus messages from a peer: rejected, the peer penalized, the chain goes on', async (t) => {
    await healthy();
    const tmp = makeTempDir('trucom-bad-peer-');
    const peer = await P2PNode.start({
      listen: { host: '127.0.0.1', port: 0 },
      keyPath: join(tmp.dir, 'node_key.json'),
      peerBookPath: join(tmp.dir, 'peers.json'),
      bootstrap: [`/ip4/127.0.0.1/tcp/${net.layout.p2pPort(0)}/p2p/${net.peerIds[0]}`],
      topics: [TOPICS.consensus],
      // big enough to send an oversized message (the validators' cap is block max_bytes + 64 KiB)
      maxMessageBytes: 64 * 1024 * 1024,
      pex: false,
    });
    try {
      // publishing works once the peer knows v0 subscribes to the topic: wait for v0's gossip to arrive
      let received = 0;
      peer.onMessage(TOPICS.consensus, () => received++);
      await waitFor('consensus gossip from v0', () => (received > 0 ? true : undefined), 30_000, 100);
      const rand = (n: number, r: () => number = Math.random) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
      const bogusAppHashes = new Set<string>();

      /**
       * Waits for v0 to commit a block and returns its height: for about a block time (1 s) after
       * that, until the next proposal, the validators are all at the next height, so a message for
       * it is judged rather than dropped as late.
       */
      async function nextCommit(): Promise<number> {
        const was = await net.height(0);
        return waitFor('v0 to commit a block', async () => {
          const now = await net.height(0);
          return now > was ? now : undefined;
        }, 20_000, 25);
      }

      /**
       * A proposal for the height v0 is about to decide, with a block built like a real one on v0's
       * last block (last block id, a real +2/3 last commit, hashes) except for a wrong app hash. Made
       * right after v0 commits a block: the real proposer waits a block time (1 s) before proposing,
       * so the forgery is the first proposal of round 0 the validators see. `signer` signs it and is
       * named as the proposer.
       */
      async function forgedProposal(signer: { address: Uint8Array; sign(bytes: Uint8Array): Uint8Array }) {
        const h = await nextCommit();
        const [last, commit] = await Promise.all([net.block(0, h), rpc(net.rpcUrls[0]!, 'commit', { height: String(h) })]);
        const hdr = last.block.header;
        const blockId = (id: { hash: string; parts: { total: number; hash: string } }) => ({ hash: fromHex(id.hash), partSetHeader: { total: id.parts.total, hash: fromHex(id.parts.hash) } });
        const c = commit.signed_header.commit;
        const lastCommit = {
          height: Number(c.height),
          round: c.round,
          blockId: blockId(c.block_id),
          signatures: (c.signatures as { block_id_flag: number; validator_address: string; timestamp: string; signature: string | null }[]).map((sig) => ({
            blockIdFlag: sig.block_id_flag,
            validatorAddress: fromHex(sig.validator_address),
            timestamp: sig.block_id_flag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT ? { seconds: 0, nanos: 0 } : parseRfc3339(sig.timestamp),
            signature: sig.signature ? fromBase64(sig.signature) : new Uint8Array(),
          })),
        };
        const appHash = rand(32);
        bogusAppHashes.add(toUpperHex(appHash));
        const time = { seconds: Math.floor(Date.now() / 1000), nanos: (Date.now() % 1000) * 1e6 };
        const block = Block.create({
          header: {
            version: { block: Number(hdr.version.block), app: Number(hdr.version.app) },
            chainId: hdr.chain_id,
            height: h + 1,
            time,
            lastBlockId: blockId(last.block_id),
            lastCommitHash: commitHash(lastCommit),
            dataHash: dataHash([]),
            validatorsHash: fromHex(hdr.next_validators_hash),
            nextValidatorsHash: fromHex(hdr.next_validators_hash),
            consensusHash: fromHex(hdr.consensus_hash),
            appHash,
            lastResultsHash: fromHex(hdr.last_results_hash),
            evidenceHash: merkleRoot([]),
            proposerAddress: signer.address,
          },
          data: { txs: [] },
          evidence: { evidence: [] },
          lastCommit,
        });
        const hash = headerHash(block.header!);
        const proposal = { type: SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL, height: h + 1, round: 0, polRound: -1, blockId: { hash, partSetHeader: { total: 1, hash } }, timestamp: time };
        return { height: h + 1, data: ConsensusMessage.encode({ proposal: { proposal: { ...proposal, signature: signer.sign(proposalSignBytes(net.chainId, proposal)) }, block } }).finish() };
      }

      /** The proposer of round 0 at `height`, by CometBFT's rotation over the validator sets the chain reports. */
      async function proposerOf(height: number): Promise<Uint8Array> {
        const sets = new Map<number, ValidatorInfo[]>();
        for (let h = 1; h <= height; h++) {
          const r = await rpc(net.rpcUrls[0]!, 'validators', { height: String(Math.min(h, await net.height(0))) });
          sets.set(h, (r.validators as { pub_key: { value: string }; voting_power: string }[]).map((v) => makeValidator(fromBase64(v.pub_key.value), Number(v.voting_power))));
        }
        const id = new ProposerRotation((h) => sets.get(h)!).scheduleAt(height)(0);
        return fromHex(id);
      }

      const me = peer.peerId;
      const stranger = generateEd25519Key();
      const strangerAddress = validatorAddress(stranger.publicKey);
      const publish = (data: Uint8Array) => peer.publish(TOPICS.consensus, data);

      /**
       * Sends what `make()` builds for the height the validators are at, until `seen()` (a count of
       * v0 log lines) goes up: a message for a height v0 has already left is dropped without a word,
       * so a try may be lost to timing. Returns the number of tries.
       */
      async function sendUntil(what: string, seen: () => number, make: () => Promise<Uint8Array | undefined> | Uint8Array) {
        for (let attempt = 1; attempt <= 5; attempt++) {
          const before = seen();
          const data = await make();
          if (!data) continue;
          publish(data);
          const hit = await waitFor(what, () => (seen() > before ? true : undefined), 2000, 100).catch(() => false);
          if (hit) return attempt;
        }
        throw new Error(`v0 never logged ${what}; its penalties of this peer: ${JSON.stringify(penalties(0, me))}`);
      }
      /** sendUntil v0 logs a penalty against this peer whose reason matches. */
      const sendUntilPenalized = (what: string, reason: RegExp, make: () => Promise<Uint8Array> | Uint8Array) =>
        sendUntil(`a penalty for ${what}`, () => penalties(0, me).filter((r) => reason.test(r)).length, make);

      // (a) random bytes (they may happen to decode as an empty message, which is dropped), then bytes that cannot decode
      publish(rand(200, prng(SEED)));
      await sendUntilPenalized('undecodable bytes', /malformed consensus message$/, () => Uint8Array.from([0x07, ...rand(100)]));

      // (b) a well-formed, correctly signed prevote from a key that is not a validator
      const vote = async (address: Uint8Array, sign: (bytes: Uint8Array) => Uint8Array) => {
        const hash = rand(32);
        const v = {
          type: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE,
          height: (await nextCommit()) + 1,
          round: 0,
          blockId: { hash, partSetHeader: { total: 1, hash } },
          timestamp: { seconds: Math.floor(Date.now() / 1000), nanos: 0 },
          validatorAddress: address,
          validatorIndex: 0,
        };
        return ConsensusMessage.encode({ vote: { ...v, signature: sign(voteSignBytesOf(net.chainId, v)) } }).finish();
      };
      const nonValidator = await sendUntilPenalized('a vote from a non-validator', /non-validator or with a bad signature/, () => vote(strangerAddress, (b) => signEd25519(stranger.privateKey, b)));

      // (c) a vote in v3's name whose signature is corrupted (a real validator, a block it never voted for)
      const v3 = Buffer.from(net.addresses[3]!, 'hex');
      const v3Key = loadPrivValidator(join(net.homes[3]!, 'config', 'priv_validator_key.json'));
      const corrupted = await sendUntilPenalized('a vote with a corrupted signature', /non-validator or with a bad signature/, () =>
        vote(v3, (b) => {
          const sig = v3Key.sign(b);
          sig[0]! ^= 0xff;
          return sig;
        }),
      );

      // (e) a proposal whose block (built on v0's last block) has a wrong app hash, signed by a key that is not the proposer's
      const strangerSigner = { address: strangerAddress, sign: (b: Uint8Array) => signEd25519(stranger.privateKey, b) };
      const forged = await sendUntilPenalized('a forged proposal with a wrong app hash', /proposal not signed by the round proposer$/, async () => (await forgedProposal(strangerSigner)).data);

      // (f) the same, signed by the real proposer of the round (a Byzantine proposer; the test has
      // every validator's key): the signature checks out, the block does not, so it gets nil prevotes
      const keys = net.homes.map((h) => loadPrivValidator(join(h, 'config', 'priv_validator_key.json')));
      const invalidAppHash = () => net.logLines(0, /^invalid proposal: prevoting nil$/).filter((l) => l.problem === 'app hash mismatch').length;
      const byzantine = await sendUntil('"invalid proposal: prevoting nil" (app hash mismatch)', invalidAppHash, async () => {
        const next = (await net.height(0)) + 2; // forgedProposal waits for the next commit, then forges for the height after
        const proposer = await proposerOf(next);
        const key = keys.find((k) => Buffer.compare(k.address, proposer) === 0);
        assert.ok(key, 'the proposer is one of the four');
        const forgery = await forgedProposal(key);
        return forgery.height === next ? forgery.data : undefined; // the chain moved on meanwhile: try again
      });

      // (d) an oversized message: over the validators' gossip cap (block max_bytes + 64 KiB). It never
      // reaches them: gossipsub itself refuses to send any frame over 4 MiB (it-length-prefixed's
      // default, which @libp2p/gossipsub 17 does not let us raise; it logs "InvalidDataLengthError:
      // Message length too long" under DEBUG=libp2p:gossipsub:error), so the validators' own
      // oversize check and its penalty cannot be observed here. What is checked: nothing breaks.
      const limit = Number((await rpc(net.rpcUrls[0]!, 'genesis')).genesis.consensus_params.block.max_bytes) + 64 * 1024;
      publish(new Uint8Array(limit + 1024).fill(0x42));
      t.diagnostic(`tries until rejected: non-validator vote ${nonValidator}, corrupted signature ${corrupted}, forged proposal ${forged}, Byzantine proposer ${byzantine}`);

      // every validator is alive and the chain goes on, with one chain
      assert.deepEqual(net.running(), ALL, 'every validator is still running');
      await net.waitForProgress(ALL, 2, 30_000);
      const top = await net.assertAgreement(ALL);
      const withBogus = (await net.blocks(0, 1, top)).filter((b) => bogusAppHashes.has(b.appHash));
      assert.deepEqual(withBogus, [], 'no committed block carries a forged app hash');
      t.diagnostic(`v0 penalized the bad peer for: ${JSON.stringify(penalties(0, me))}`);
      // Gossip is checked (decoded, signatures verified) before it is relayed: v0 never forwards the
      // garbage, so the other validators never blame v0, the honest relayer.
      for (const i of [1, 2, 3]) assert.deepEqual(penalties(i, net.peerIds[0]!), [], `v${i} penalized v0 (an honest relayer)`);
    } finally {
      await peer.stop();
      tmp.remove();
    }
  });

  it('SIGKILL at five random moments under a tx load: no fork, no double sign, the signer state only moves forward', async (t) => {
    await healthy();
    const victim = 3;
    const random = prng(SEED);
    t.diagnostic(`seed ${SEED} (TRUCOM_FAULTS_SEED replays a run)`);

    // the signer state file: sampled all along, it must never go back
    const stateFile = join(net.homes[victim]!, 'data', 'priv_validator_state.json');
    const samples: { height: number; round: number; step: number }[] = [];
    const sample = () => {
      if (!existsSync(stateFile)) return;
      try {
        const s = JSON.parse(readFileSync(stateFile, 'utf8')) as { height: number; round: number; step: number };
        const last = samples.at(-1);
        if (!last || last.height !== s.height || last.round !== s.round || last.step !== s.step) samples.push({ height: s.height, round: s.round, step: s.step });
      } catch {
        // replaced (renamed over) while being read: the next sample sees it
      }
    };
    const sampler = setInterval(sample, 100);

    // a few txs per second from the faucet account, to v0
    const faucetEntry = net.accounts.find((a) => a.name === 'faucet')!;
    const sink = net.accounts.find((a) => a.name === 'viewer')!.address;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(faucetEntry.mnemonic, { prefix: 'tru' });
    const [acc] = await wallet.getAccounts();
    const faucet: TestAccount = { mnemonic: faucetEntry.mnemonic, wallet, address: acc!.address, pubkey: acc!.pubkey };
    const client = await StargateClient.connect(net.rpcUrls[0]!);
    const { accountNumber, sequence: firstSequence } = await client.getSequence(faucet.address);
    client.disconnect();
    const accepted: string[] = [];
    let stopLoad = false;
    const load = (async () => {
      let sequence = firstSequence;
      while (!stopLoad) {
        const raw = await signTx(faucet, [msgSend(faucet.address, sink, '1utru')], { chainId: net.chainId, accountNumber, sequence, fee: FEE });
        const r = await broadcastSync(net.rpcUrls[0]!, raw);
        if (r.code === 0) {
          accepted.push(r.hash);
          sequence++;
        } else if (r.code !== 20) throw new Error(`load tx rejected: code ${r.code}: ${r.log}`);
        await sleep(250);
      }
    })();

    try {
      for (let k = 1; k <= 5; k++) {
        await sleep(300 + Math.floor(random() * 2500));
        sample();
        const at = await net.maxHeight([0, 1, 2]);
        await net.kill(victim, 'SIGKILL');
        sample();
        net.start(victim);
        const [back] = await net.waitForHeight([victim], at + 1, 60_000);
        t.diagnostic(`kill ${k}: at height ~${at}; restarted, at ${back} (${accepted.length} txs accepted so far)`);
      }
      await net.waitForProgress(ALL, 2, 30_000);
    } finally {
      stopLoad = true;
      clearInterval(sampler);
    }
    await load;
    sample();

    // no fork
    await waitForEmptyMempool(net.rpcUrls[0]!, 30_000);
    // v0's mempool is empty, so every tx it accepted is in its chain by now; the others may still be
    // a block behind (agreement is checked up to the lowest height, inclusion on all of v0's chain)
    const [v0Top] = await net.heights([0]);
    await net.assertAgreement(ALL);

    // every accepted tx is committed exactly once
    const seen = new Map<string, number>();
    for (let h = 1; h <= v0Top!; h++) {
      const b = await net.block(0, h);
      for (const tx of b.block.data.txs as string[]) {
        const hash = toUpperHex(sha256(Buffer.from(tx, 'base64')));
        assert.equal(seen.get(hash), undefined, `tx ${hash} in blocks ${seen.get(hash)} and ${h}`);
        seen.set(hash, h);
      }
    }
    assert.ok(accepted.length >= 10, `a load ran (${accepted.length} txs accepted)`);
    const missing = accepted.filter((h) => !seen.has(h));
    assert.deepEqual(missing, [], 'every accepted tx is in a block');

    // the killed validator never double-signed: no evidence against it, no one detected one
    const evidence = await evidenceIn(0, 1, v0Top!);
    const against = [...evidence].filter(([, list]) => list.some((e) => e.value.vote_a.validator_address === net.addresses[victim]));
    assert.deepEqual(against, [], `no block has evidence against v${victim}`);
    for (const i of ALL) assert.deepEqual(net.logLines(i, /double sign detected/), [], `v${i} saw no double sign`);

    // its signer state only moved forward, across every crash
    assert.ok(samples.length >= 10, `the signer state was sampled (${samples.length} distinct states)`);
    for (let j = 1; j < samples.length; j++) {
      const [p, c] = [samples[j - 1]!, samples[j]!];
      const forward = c.height > p.height || (c.height === p.height && (c.round > p.round || (c.round === p.round && c.step > p.step)));
      assert.ok(forward, `priv_validator_state went from ${JSON.stringify(p)} to ${JSON.stringify(c)}`);
    }
    const refused = net.logLines(victim, /^not signing/).length;
    t.diagnostic(`${accepted.length} load txs committed; ${samples.length} signer states; v${victim} refused to re-sign ${refused} time(s) after restarts`);
  });

  it('a double-signing validator: evidence is committed in a block, the honest three go on', async (t) => {
    await healthy();
    const byzantine = 3;
    const honest = [0, 1, 2];
    await net.kill(byzantine, 'SIGTERM');
    net.start(byzantine, { env: { TRUCOM_TEST_DOUBLE_SIGN: '1' } });
    const from = await net.maxHeight(honest);

    let scanned = from - 1;
    const found = await waitFor('a block with evidence', async () => {
      const top = await net.height(0);
      const ev = await evidenceIn(0, scanned + 1, top);
      scanned = top;
      return ev.size > 0 ? [...ev][0] : undefined;
    }, 60_000, 200);
    const [height, list] = found!;
    const ev = list[0]!;
    t.diagnostic(`evidence in block ${height}: ${JSON.stringify(ev).slice(0, 400)}`);
    assert.equal(ev.type, 'tendermint/DuplicateVoteEvidence');
    const { vote_a: a, vote_b: b } = ev.value;
    assert.equal(a.validator_address, net.addresses[byzantine], 'the evidence names the double signer');
    assert.equal(b.validator_address, net.addresses[byzantine]);
    assert.equal(a.height, b.height);
    assert.equal(a.round, b.round);
    assert.equal(a.type, b.type);
    assert.notEqual(a.block_id.hash, b.block_id.hash, 'two votes for different blocks');
    assert.ok(a.signature && b.signature);
    assert.equal(ev.value.TotalVotingPower, '40');
    assert.equal(ev.value.ValidatorPower, '10');
    assert.ok(honest.some((i) => net.logLines(i, /^double sign detected: evidence recorded$/).length > 0), 'an honest validator detected it');

    // the honest three keep producing blocks, and all four still agree
    await net.waitForProgress(honest, 3, 30_000);
    await net.assertAgreement(net.running());

    // slashing: the committed evidence jails the offender, so it leaves the validator set (at H+2)
    const removedAt = await waitFor(`v${byzantine} to leave the validator set`, async () => {
      const r = await rpc(net.rpcUrls[0]!, 'validators');
      return (r.validators as { address: string }[]).some((v) => v.address === net.addresses[byzantine]) ? undefined : Number(r.block_height);
    }, 30_000, 200);
    const set = (await rpc(net.rpcUrls[0]!, 'validators', { height: String(removedAt) })).validators as { address: string; voting_power: string }[];
    assert.deepEqual(set.map((v) => v.address).sort(), honest.map((i) => net.addresses[i]!).sort(), 'the honest three remain');
    t.diagnostic(`evidence committed at ${height}; v${byzantine} out of the set from height ${removedAt}`);
    await net.waitForProgress(honest, 2, 30_000);
    await net.assertAgreement(net.running());
  });
});
