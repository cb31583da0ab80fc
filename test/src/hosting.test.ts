/**
 * The hosting marketplace end to end, on one `trucom devnet` (4 validators asserting every invariant
 * after each block, 4 gateways that are genesis providers) in a temp home, driven the way a user
 * drives it: `trucom site publish` → every gateway serves the site by name and by CID; 3 distinct
 * replicas prove every epoch and get paid; SIGKILL of one replica's gateway → the chain fails it and
 * repairs onto the spare while viewers of the other gateways never see an error; `deal cancel`
 * refunds the unspent escrow; a deal that runs out → 402; bad input is refused with the right status
 * and never takes a node down. Ports 29600-29799.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { accountKeyFromMnemonic, signAdr036 } from '@trucom/crypto';
import { adr036Authorization } from '@trucom/gateway/adr036-auth';
import { DEFAULT_PROFILE, DiskBlockstore, exportCar, importDirectory } from '@trucom/content';
import { waitFor } from '@trucom/testkit';
import {
  allHealthy,
  attr,
  balanceOf,
  cleanEnv,
  httpRequest,
  isAlive,
  latestHeight,
  processesMentioning,
  restJson,
  rpc,
  runCli,
  siteRequest,
  spawnNode,
  startDevnet,
  TRUCOM_CLI,
  utruOf,
  type HttpAnswer,
  type RpcEvent,
  type RunningDevnet,
  type Spawned,
} from './support/index.js';

const PORTS = { rpc: 29657, p2p: 29656, rest: 29617, gateway: 29700, dashboard: 29710 };
/** A gateway of this test's own with a tiny upload limit (not a provider). */
const SMALL_GATEWAY_PORT = 29720;
const SMALL_UPLOAD_LIMIT = 4096;
const RPC = `http://127.0.0.1:${PORTS.rpc}`;
const REST = `http://127.0.0.1:${PORTS.rest}`;
const GATEWAYS = [0, 1, 2, 3].map((i) => PORTS.gateway + i);
const VALIDATOR_RPCS = [0, 1, 2, 3].map((i) => PORTS.rpc + 10 * i);
const gatewayUrl = (port: number) => `http://127.0.0.1:${port}`;

const INDEX_HTML = '<!doctype html><html><head><title>Trucom journey</title><link rel="stylesheet" href="/css/site.css"></head><body><h1>Hello from Trucom</h1></body></html>\n';
const SITE_CSS = 'body { font-family: sans-serif; color: #123456; }\nh1 { margin: 0 auto; max-width: 40rem; }\n';
const SPA_RULE = '/* /index.html 200\n';
/** Devnet epochs are 10 blocks: epoch e is heights 10(e-1)+1 … 10e. */
const EPOCH_BLOCKS = 10;
/** The genesis collateral of each devnet provider (utru). */
const GENESIS_COLLATERAL = 100_000_000n;

interface ReplicaView {
  readonly provider: string;
  readonly endpoint: string;
  readonly status: 'active' | 'faulty' | 'repairing' | 'failed';
  readonly last_proven_epoch: number;
  readonly missed: number;
  readonly failed_epoch: number;
  readonly assigned_epoch: number;
  readonly price: string;
  readonly earned: string;
}

interface DealView {
  readonly id: number;
  readonly owner: string;
  readonly cid: string;
  readonly size: number;
  readonly kind: string;
  readonly status: 'active' | 'expired' | 'cancelled';
  readonly replicas: ReplicaView[];
  readonly escrow: string;
  readonly locked: string;
  readonly paid: string;
  readonly refunded: string;
  readonly funded_until_epoch: number;
  readonly created_epoch: number;
  readonly current_epoch: number;
  readonly bandwidth: { readonly budget: string; readonly used: string };
}

interface Published {
  readonly cid: string;
  readonly deal: number;
  readonly name: string;
  readonly urls: string[];
}

async function dealOf(id: number): Promise<DealView> {
  const r = await restJson<DealView>(REST, `/trucom/market/v1/deals/${id}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

/**
 * The storage payouts of a deal settled in blocks (from, to]: each `storage_payout` end-of-block event
 * with what the bank credited the provider in the same block (`coin_received`).
 */
async function epochPayouts(from: number, to: number, dealId: number) {
  const out: { provider: string; epoch: string; amount: bigint; received: bigint }[] = [];
  for (let h = from + 1; h <= to; h++) {
    const events = (await rpc<{ finalize_block_events: RpcEvent[] | null }>(RPC, 'block_results', { height: String(h) })).finalize_block_events ?? [];
    const received = (who: string) => events.filter((e) => e.type === 'coin_received' && attr(e, 'receiver') === who).reduce((n, e) => n + utruOf(attr(e, 'amount')!), 0n);
    for (const e of events) {
      if (e.type !== 'storage_payout' || attr(e, 'deal_id') !== String(dealId)) continue;
      const provider = attr(e, 'provider')!;
      out.push({ provider, epoch: attr(e, 'epoch')!, amount: utruOf(attr(e, 'amount')!), received: received(provider) });
    }
  }
  return out;
}

/** The devnet gateway index of a provider endpoint (http://127.0.0.1:{gateway + i}). */
const gatewayIndexOf = (endpoint: string) => GATEWAYS.indexOf(Number(new URL(endpoint).port));

function writeSite(dir: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The 402 a gateway gives for content whose deal stopped paying, naming the deal and why. */
function assertPaymentRequired(r: HttpAnswer, cid: string, dealId: number, why: RegExp, where: string): void {
  assert.equal(r.status, 402, `${where}: ${r.text()}`);
  assert.match(String(r.headers['content-type']), /^application\/json/, where);
  const body = r.json<{ error: string; cid: string; deal: string; reason: string }>();
  assert.equal(body.cid, cid, where);
  assert.equal(String(body.deal), String(dealId), `${where}: the 402 names the deal`);
  assert.match(body.reason, why, where);
  assert.match(body.error, /payment required/, where);
}

/**
 * Fetches a site's page and stylesheet from `ports` every ~200 ms until stopped, recording every
 * answer that is not a 200 with the right bytes (and every network error).
 */
function startViewer(ports: readonly number[], site: Published) {
  const problems: string[] = [];
  let served = 0;
  let stopped = false;
  const check = async (port: number, what: string, fetchIt: () => Promise<HttpAnswer>, expect: string) => {
    try {
      const r = await fetchIt();
      if (r.status !== 200 || r.text() !== expect) problems.push(`${new Date().toISOString()} gateway ${port} ${what}: ${r.status} ${r.text().slice(0, 200)}`);
      else served++;
    } catch (err) {
      problems.push(`${new Date().toISOString()} gateway ${port} ${what}: ${(err as Error).message}`);
    }
  };
  const loop = (async () => {
    while (!stopped) {
      const turn = Date.now();
      await Promise.all(
        ports.flatMap((port) => [
          check(port, `${site.name} /`, () => siteRequest(port, site.name, '/'), INDEX_HTML),
          check(port, `/ipfs/${site.cid}/css/site.css`, () => httpRequest(port, `/ipfs/${site.cid}/css/site.css`), SITE_CSS),
        ]),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, 200 - (Date.now() - turn))));
    }
  })();
  return {
    /** Answers that were right so far. */
    served: () => served,
    async stop() {
      stopped = true;
      await loop;
      return { served, problems };
    },
  };
}

describe('hosting: publish, serve, prove, repair, cancel, expire', { timeout: 400_000 }, () => {
  let devnet: RunningDevnet | undefined;
  /** Processes this test started besides the devnet (a restarted gateway, the small-limit gateway). */
  const own: Spawned[] = [];
  let home: string;
  let publisher: { address: string; mnemonic: string };
  /** Provider address → devnet gateway index. */
  const providerGateway = new Map<string, number>();
  let site: Published;
  let siteDir: string;

  const gatewayHome = (i: number) => join(home, 'devnet', `g${i}`);
  const trucom = (args: readonly string[], timeoutMs = 120_000) => runCli(['--home', home, ...args], devnet!.env, timeoutMs);
  const publish = async (dir: string, name: string, gatewayPort: number, extra: readonly string[] = []): Promise<Published> => {
    const r = await trucom(['site', 'publish', dir, '--name', name, '--from', 'publisher', '--node', RPC, '--gateway', gatewayUrl(gatewayPort), ...extra]);
    assert.equal(r.code, 0, `site publish exit code; stderr: ${r.stderr}`);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, `stdout is the final JSON line only: ${r.stdout}`);
    return JSON.parse(lines[0]!) as Published;
  };

  /**
   * Starts `trucom gateway start` with these arguments as a process of this test (no TRUCOM_* port
   * variable: a devnet gateway takes its port from its home's gateway.json); resolves once /health answers.
   */
  async function startOwnGateway(port: number, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Spawned> {
    const p = spawnNode([TRUCOM_CLI, 'gateway', 'start', ...args], cleanEnv(env), { detached: true });
    own.push(p);
    const early = p.exited.then(({ code, signal }) => {
      throw new Error(`gateway on ${port} exited (${signal ?? code}): ${p.stderr()}`);
    });
    early.catch(() => undefined);
    await Promise.race([waitFor(`gateway on ${port} to answer /health`, async () => ((await allHealthy([port])) ? true : undefined), 60_000, 250), early]);
    return p;
  }

  before(async () => {
    // Validators check every invariant after each block (supply = balances + escrow + collateral +
    // bonded stake among them) and stop at once if one breaks: the last journey sees them all alive.
    devnet = await startDevnet('trucom-hosting-test-', PORTS, 180_000, { TRUCOM_ASSERT_INVARIANTS: '1' });
    home = devnet.home;
    siteDir = writeSite(join(home, 'site'), { 'index.html': INDEX_HTML, 'css/site.css': SITE_CSS, _redirects: SPA_RULE });
    publisher = devnet.account('publisher');
    for (let i = 0; i < 4; i++) {
      const key = JSON.parse(readFileSync(join(gatewayHome(i), 'provider.json'), 'utf8')) as { address: string };
      providerGateway.set(key.address, i);
    }
  });

  after(async () => {
    for (const p of own) {
      try {
        process.kill(-p.child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await devnet?.stop();
    if (home) assert.deepEqual(processesMentioning(home), [], 'no process of this test is left');
  });

  it('publishes a site with the CLI; all 4 gateways serve it by name and by CID, deep links through the SPA rule, HEAD and Range', async () => {
    site = await publish(siteDir, 'journey', GATEWAYS[0]!);
    assert.match(site.cid, /^bafy/, 'a CIDv1 dag-pb root');
    assert.ok(Number.isInteger(site.deal) && site.deal > 0, `deal id ${site.deal}`);
    assert.equal(site.name, 'journey');
    for (const port of GATEWAYS) {
      assert.ok(site.urls.includes(`http://journey.sites.localhost:${port}/`), `urls name the site on gateway ${port}: ${site.urls.join(' ')}`);
      assert.ok(site.urls.includes(`http://127.0.0.1:${port}/ipfs/${site.cid}/`), `urls name the CID on gateway ${port}`);
    }

    for (const port of GATEWAYS) {
      const where = `gateway ${port}`;
      const byName = await siteRequest(port, 'journey', '/');
      assert.equal(byName.status, 200, `${where} by name: ${byName.text()}`);
      assert.equal(byName.text(), INDEX_HTML, where);
      assert.match(String(byName.headers['content-type']), /^text\/html/, where);

      const byCid = await httpRequest(port, `/ipfs/${site.cid}/`);
      assert.equal(byCid.status, 200, `${where} by CID: ${byCid.text()}`);
      assert.equal(byCid.text(), INDEX_HTML, where);
      assert.equal(byCid.headers['cache-control'], 'public, max-age=29030400, immutable', where);
      assert.equal(byCid.headers['access-control-allow-origin'], '*', where);

      const noSlash = await httpRequest(port, `/ipfs/${site.cid}`);
      assert.equal(noSlash.status, 301, `${where}: a directory without its trailing slash redirects`);
      assert.equal(noSlash.headers.location, `/ipfs/${site.cid}/`, where);

      const deep = await siteRequest(port, 'journey', '/some/deep/link?x=1');
      assert.equal(deep.status, 200, `${where}: a deep link goes through the SPA rule: ${deep.text()}`);
      assert.equal(deep.text(), INDEX_HTML, where);

      for (const css of [await siteRequest(port, 'journey', '/css/site.css'), await httpRequest(port, `/ipfs/${site.cid}/css/site.css`)]) {
        assert.equal(css.status, 200, `${where} css: ${css.text()}`);
        assert.equal(css.text(), SITE_CSS, where);
        assert.match(String(css.headers['content-type']), /^text\/css/, where);
        assert.equal(css.headers['content-length'], String(Buffer.byteLength(SITE_CSS)), where);
        assert.match(String(css.headers.etag), /^"baf/, `${where}: ETag is the CID`);
      }

      const head = await httpRequest(port, `/ipfs/${site.cid}/css/site.css`, { method: 'HEAD' });
      assert.equal(head.status, 200, where);
      assert.equal(head.headers['content-length'], String(Buffer.byteLength(SITE_CSS)), `${where}: HEAD tells the GET's Content-Length`);
      assert.equal(head.body.length, 0, `${where}: HEAD has no body`);
      const headByName = await siteRequest(port, 'journey', '/', { method: 'HEAD' });
      assert.equal(headByName.headers['content-length'], String(Buffer.byteLength(INDEX_HTML)), where);

      const range = await httpRequest(port, `/ipfs/${site.cid}/css/site.css`, { headers: { range: 'bytes=5-15' } });
      assert.equal(range.status, 206, `${where}: ${range.text()}`);
      assert.equal(range.headers['content-range'], `bytes 5-15/${Buffer.byteLength(SITE_CSS)}`, where);
      assert.equal(range.text(), SITE_CSS.slice(5, 16), where);

      const cached = await httpRequest(port, `/ipfs/${site.cid}/`, { headers: { 'if-none-match': String(byCid.headers.etag) } });
      assert.equal(cached.status, 304, `${where}: If-None-Match with the ETag`);

      // trustless clients (Helia's block brokers) walk a DAG block by block, each by its own CID:
      // a block inside the paid site is served like the site
      const cssCid = String(head.headers.etag).replace(/^"|"$/g, '');
      const block = await httpRequest(port, `/ipfs/${cssCid}?format=raw`);
      assert.equal(block.status, 200, `${where}: the CSS block by its own CID: ${block.text()}`);
      assert.equal(block.headers['content-type'], 'application/vnd.ipld.raw', where);
      assert.equal(block.text(), SITE_CSS, where);
    }
  });

  it('keeps 3 distinct active replicas that prove every epoch, are paid from escrow and claim bandwidth', async () => {
    const start = await dealOf(site.deal);
    assert.equal(start.owner, publisher.address);
    assert.equal(start.cid, site.cid);
    assert.equal(start.kind, 'site');
    assert.equal(start.status, 'active');
    assert.equal(start.replicas.length, 3, JSON.stringify(start.replicas));
    assert.equal(new Set(start.replicas.map((r) => r.provider)).size, 3, 'three distinct providers');
    for (const r of start.replicas) {
      assert.equal(r.status, 'active', JSON.stringify(r));
      assert.ok(providerGateway.has(r.provider), `${r.provider} is a devnet provider`);
      assert.equal(gatewayIndexOf(r.endpoint), providerGateway.get(r.provider), `endpoint ${r.endpoint} is that provider's gateway`);
    }
    const fromHeight = await latestHeight(RPC);
    const before = new Map(start.replicas.map((r) => [r.provider, { epoch: r.last_proven_epoch, earned: BigInt(r.earned) }] as const));

    // Viewers load the site from each replica's gateway: enough bytes for each to claim a few utru of
    // bandwidth (100000 utru per GiB served: one utru is about 10.5 KiB).
    const rounds = Math.ceil((3 * 10_738) / Buffer.byteLength(INDEX_HTML + SITE_CSS));
    await Promise.all(
      start.replicas.map(async (r) => {
        const port = GATEWAYS[gatewayIndexOf(r.endpoint)]!;
        for (let i = 0; i < rounds; i++) {
          const [page, css] = await Promise.all([siteRequest(port, 'journey', '/'), httpRequest(port, `/ipfs/${site.cid}/css/site.css`)]);
          assert.equal(page.status, 200);
          assert.equal(css.status, 200);
        }
      }),
    );

    // Two more proven and settled epochs for every replica, each paid its price (1 GiB charged: the site is tiny).
    const later = await waitFor('every replica to prove and be paid for two more epochs', async () => {
      const d = await dealOf(site.deal);
      const done = d.replicas.every((r) => r.last_proven_epoch >= before.get(r.provider)!.epoch + 2 && BigInt(r.earned) >= before.get(r.provider)!.earned + 2n * BigInt(r.price));
      return done ? d : undefined;
    }, 90_000, 500);
    for (const r of later.replicas) {
      assert.equal(r.status, 'active');
      assert.equal(r.missed, 0, `${r.provider} missed no epoch`);
    }

    // The payouts reach the providers' bank accounts: at each epoch end, a storage_payout of the
    // replica's price per proven epoch, moved from the escrow module to the provider by the bank.
    const payouts = await epochPayouts(fromHeight, await latestHeight(RPC), site.deal);
    for (const r of later.replicas) {
      const mine = payouts.filter((p) => p.provider === r.provider);
      assert.ok(mine.length >= 2, `${r.provider}: ${mine.length} storage payouts since height ${fromHeight}`);
      for (const p of mine) {
        assert.equal(p.amount, BigInt(r.price), `epoch ${p.epoch}: the replica price for the 1 GiB charged`);
        assert.equal(p.received, p.amount, `epoch ${p.epoch}: the payout is credited to ${r.provider}'s bank balance`);
      }
    }

    // Each replica's gateway claims the bytes it served from the bandwidth budget.
    const claimed = await waitFor('bandwidth claims from the 3 replica gateways', async () => {
      const d = await dealOf(site.deal);
      return BigInt(d.bandwidth.used) >= 3n * 3n ? d : undefined;
    }, 75_000, 1000);
    assert.ok(BigInt(claimed.bandwidth.used) <= BigInt(claimed.bandwidth.budget), 'claims stay within the budget');
    const earned = claimed.replicas.reduce((n, r) => n + BigInt(r.earned), 0n);
    assert.equal(BigInt(claimed.paid), earned, 'what the deal paid (storage and bandwidth) is what its replicas earned');
    assert.equal(BigInt(claimed.escrow), BigInt(claimed.locked) - BigInt(claimed.paid) - BigInt(claimed.refunded), 'escrow = locked - paid - refunded');
    assert.ok(BigInt(claimed.escrow) < BigInt(start.escrow), 'escrow went down');
  });

  it('repairs onto the spare after SIGKILL of a replica gateway while viewers of the other gateways see no error', async () => {
    const start = await dealOf(site.deal);
    const victim = start.replicas[0]!;
    const victimIndex = gatewayIndexOf(victim.endpoint);
    const spare = [...providerGateway.keys()].find((p) => !start.replicas.some((r) => r.provider === p))!;
    const spareIndex = providerGateway.get(spare)!;
    const victimHome = gatewayHome(victimIndex);
    const others = GATEWAYS.filter((_, i) => i !== victimIndex);

    const pid = devnet!.gatewayPid(victimIndex)!;
    assert.deepEqual(processesMentioning(victimHome), [pid], `pid ${pid} runs gateway g${victimIndex}`);

    const viewer = startViewer(others, site);
    let viewed: Awaited<ReturnType<typeof viewer.stop>> | undefined;
    try {
      await waitFor('the viewer to be served', () => (viewer.served() >= 2 * others.length ? true : undefined), 15_000);
      process.kill(pid, 'SIGKILL');
      await waitFor(`g${victimIndex} to be gone`, () => (isAlive(pid) ? undefined : true), 10_000);
      await waitFor('the devnet to report the exit and keep running', () => (devnet!.process.stdout().includes(`g${victimIndex} exited (SIGKILL); the rest of the devnet keeps running`) ? true : undefined), 10_000);

      // The chain: missed epochs (faulty), then failed; a repair draws the spare (repairing), which
      // fetches from the surviving replicas and becomes active with its first valid proof.
      const seen = { victim: [] as string[], spare: [] as string[] };
      const note = (list: string[], s: string) => {
        if (list.at(-1) !== s) list.push(s);
      };
      const repaired = await waitFor('the chain to fail the replica and repair onto the spare', async () => {
        const d = await dealOf(site.deal);
        const v = d.replicas.find((r) => r.provider === victim.provider)!;
        const s = d.replicas.find((r) => r.provider === spare);
        note(seen.victim, v.status);
        note(seen.spare, s?.status ?? 'not assigned');
        return v.status === 'failed' && s?.status === 'active' ? d : undefined;
      }, 150_000, 200);
      assert.deepEqual(seen.victim, ['active', 'faulty', 'failed'], 'the killed replica misses epochs, then fails');
      assert.deepEqual(seen.spare, ['not assigned', 'repairing', 'active'], 'the spare is assigned by the repair and proves');
      const failed = repaired.replicas.find((r) => r.provider === victim.provider)!;
      assert.ok(failed.missed >= 2, `missed ${failed.missed} epochs`);
      assert.ok(failed.failed_epoch > 0);
      const fresh = repaired.replicas.find((r) => r.provider === spare)!;
      assert.ok(fresh.assigned_epoch >= failed.failed_epoch, 'the spare was assigned when the replica failed');
      assert.ok(fresh.last_proven_epoch >= fresh.assigned_epoch, 'the spare proved storage');
      assert.equal(repaired.replicas.filter((r) => r.status === 'active').length, 3, 'three live replicas again');
      const provider = await restJson<{ collateral: string }>(REST, `/trucom/market/v1/providers/${victim.provider}`);
      assert.ok(BigInt(provider.body.collateral) < GENESIS_COLLATERAL, `missed proofs burned part of the collateral (${provider.body.collateral})`);

      // The spare holds the whole DAG itself (what replicas ask each other for).
      const held = await httpRequest(GATEWAYS[spareIndex]!, `/ipfs/${site.cid}/`, { method: 'HEAD', headers: { 'cache-control': 'only-if-cached' } });
      assert.equal(held.status, 200, 'the spare gateway holds the content');
    } finally {
      viewed = await viewer.stop();
    }
    assert.deepEqual(viewed.problems, [], 'viewers of the other gateways never saw an error');
    assert.ok(viewed.served > 100, `the viewer was served ${viewed.served} times`);

    // Back to four gateways: the killed one starts again from its home alone.
    await startOwnGateway(GATEWAYS[victimIndex]!, ['--home', victimHome]);
    const back = await siteRequest(GATEWAYS[victimIndex]!, 'journey', '/');
    assert.equal(back.status, 200, back.text());
    assert.equal(back.text(), INDEX_HTML);
  });

  it('deal cancel refunds the unspent escrow to the owner; then every gateway answers 402 naming the deal', async () => {
    // Cancel as an epoch begins, before the replicas' proofs for it land: they land while the cancel
    // is on its way, and the cancel then pays them (its gas must allow for that).
    await waitFor('the first block of an epoch', async () => ((await latestHeight(RPC)) % EPOCH_BLOCKS === 1 ? true : undefined), 30_000, 100);
    const balanceBefore = await balanceOf(REST, publisher.address);
    const r = await trucom(['-o', 'json', 'deal', 'cancel', String(site.deal), '--from', 'publisher', '--node', RPC]);
    assert.equal(r.code, 0, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    const tx = JSON.parse(r.stdout) as { code: number; events: { type: string; attributes: { key: string; value: string }[] }[] };
    assert.equal(tx.code, 0);
    const attr = (type: string, key: string) => tx.events.filter((e) => e.type === type).flatMap((e) => e.attributes.filter((a) => a.key === key).map((a) => a.value));
    const fee = BigInt(/^(\d+)utru$/.exec(attr('tx', 'fee')[0]!)![1]!);
    assert.deepEqual(attr('tx', 'fee_payer'), [publisher.address]);
    assert.deepEqual(attr('cancel_deal', 'deal_id'), [String(site.deal)]);
    const refund = BigInt(/^(\d+)(utru)?$/.exec(attr('cancel_deal', 'amount')[0]!)![1]!);
    assert.ok(refund > 0n, 'something was refunded');

    const balanceAfter = await balanceOf(REST, publisher.address);
    assert.equal(balanceAfter, balanceBefore - fee + refund, 'the owner got the refund back (less the tx fee)');
    const d = await dealOf(site.deal);
    assert.equal(d.status, 'cancelled');
    assert.equal(BigInt(d.refunded), refund, "the deal's refunded is the refund");
    assert.equal(d.escrow, '0', 'nothing is left in escrow');
    assert.equal(BigInt(d.paid) + BigInt(d.refunded), BigInt(d.locked), 'paid + refunded = locked: the unspent part came back whole');

    for (const port of GATEWAYS) {
      const byName = await waitFor(`gateway ${port} to refuse the cancelled site`, async () => {
        const a = await siteRequest(port, 'journey', '/');
        return a.status === 402 ? a : undefined;
      }, 15_000, 250);
      assertPaymentRequired(byName, site.cid, site.deal, /cancelled/, `gateway ${port} by name`);
      assertPaymentRequired(await httpRequest(port, `/ipfs/${site.cid}/css/site.css`), site.cid, site.deal, /cancelled/, `gateway ${port} by CID`);
    }
  });

  it('a deal that runs out expires: 402 naming the deal and why', async () => {
    const dir = writeSite(join(home, 'short'), { 'index.html': '<!doctype html><h1>here for one epoch</h1>\n' });
    const short = await publish(dir, 'short-lived', GATEWAYS[1]!, ['--epochs', '1']);
    const created = await dealOf(short.deal);
    assert.equal(created.funded_until_epoch, created.created_epoch + 1, 'one epoch paid for');
    assert.equal((await siteRequest(GATEWAYS[2]!, 'short-lived', '/')).status, 200, 'served while paid');

    const expired = await waitFor('the deal to expire', async () => {
      const d = await dealOf(short.deal);
      return d.status === 'expired' ? d : undefined;
    }, 90_000, 500);
    assert.ok(expired.current_epoch >= expired.funded_until_epoch);
    assert.equal(expired.escrow, '0');
    assert.equal(BigInt(expired.paid) + BigInt(expired.refunded), BigInt(expired.locked), 'at expiry the rest of the escrow goes back');
    const why = new RegExp(`deal ${short.deal} is expired, funded until epoch ${expired.funded_until_epoch}`);
    for (const port of GATEWAYS) {
      const byName = await waitFor(`gateway ${port} to refuse the expired site`, async () => {
        const a = await siteRequest(port, 'short-lived', '/');
        return a.status === 402 ? a : undefined;
      }, 15_000, 250);
      assertPaymentRequired(byName, short.cid, short.deal, why, `gateway ${port} by name`);
      assertPaymentRequired(await httpRequest(port, `/ipfs/${short.cid}/`), short.cid, short.deal, why, `gateway ${port} by CID`);
    }
  });

  describe('bad input is refused with a clear answer and never takes a node down', () => {
    let key: Uint8Array;
    const now = () => Math.floor(Date.now() / 1000);
    const authorization = (data: string, sign = data) => {
      const { signer, signature } = signAdr036(key, sign);
      return adr036Authorization({ signer, data, ...signature });
    };
    /** A directory upload as a browser sends it (FormData); fetch picks the multipart boundary. */
    const form = (files: Record<string, Uint8Array | string>) => {
      const f = new FormData();
      for (const [path, content] of Object.entries(files)) f.append('file', new Blob([content]), path);
      return f;
    };
    const upload = async (port: number, body: FormData | Uint8Array, headers: Record<string, string> = {}) => {
      const res = await fetch(`${gatewayUrl(port)}/api/v1/uploads`, { method: 'POST', body, headers, signal: AbortSignal.timeout(30_000) });
      return { status: res.status, body: (await res.json()) as { error?: string; cid?: string } };
    };

    before(async () => {
      key = (await accountKeyFromMnemonic(publisher.mnemonic)).privateKey;
      await startOwnGateway(SMALL_GATEWAY_PORT, ['--home', join(home, 'small-gateway'), '--port', String(SMALL_GATEWAY_PORT), '--rpc', RPC], { TRUCOM_MAX_UPLOAD_BYTES: String(SMALL_UPLOAD_LIMIT) });
    });

    it('uploads without, with a forged or with a stale Authorization get 401 with the reason', async () => {
      const files = { 'index.html': '<h1>x</h1>' };
      const none = await upload(GATEWAYS[0]!, form(files));
      assert.equal(none.status, 401);
      assert.match(none.body.error!, /missing or malformed Authorization header/);

      const forged = await upload(GATEWAYS[0]!, form(files), { authorization: authorization(`trucom upload ${now()}`, `trucom upload ${now() - 1}`) });
      assert.equal(forged.status, 401);
      assert.match(forged.body.error!, /bad signature/);

      const stale = await upload(GATEWAYS[0]!, form(files), { authorization: authorization(`trucom upload ${now() - 3600}`) });
      assert.equal(stale.status, 401);
      assert.match(stale.body.error!, /300 s away from the gateway's clock/);

      const garbage = await upload(GATEWAYS[0]!, form(files), { authorization: 'ADR036 bm90IGpzb24=' });
      assert.equal(garbage.status, 401);
      assert.match(garbage.body.error!, /not base64 JSON/);

      const fine = await upload(GATEWAYS[0]!, form(files), { authorization: authorization(`trucom upload ${now()}`) });
      assert.equal(fine.status, 201, `the same upload, signed now, is accepted: ${JSON.stringify(fine.body)}`);
    });

    it('an unsupported content type gets 415; an upload over the limit gets 413 (multipart and CAR)', async () => {
      const auth = () => ({ authorization: authorization(`trucom upload ${now()}`) });
      const text = await upload(GATEWAYS[0]!, Buffer.from('hello'), { 'content-type': 'text/plain', ...auth() });
      assert.equal(text.status, 415, JSON.stringify(text.body));
      assert.match(text.body.error!, /multipart\/form-data/);

      const limit = new RegExp(`limit of ${SMALL_UPLOAD_LIMIT} bytes`);
      const big = new Uint8Array(4 * SMALL_UPLOAD_LIMIT).map((_, i) => (i * 31) % 251);
      const tooBig = await upload(SMALL_GATEWAY_PORT, form({ 'big.bin': big }), auth());
      assert.equal(tooBig.status, 413, JSON.stringify(tooBig.body));
      assert.match(tooBig.body.error!, limit);

      // The same bytes as a CAR.
      const store = await DiskBlockstore.open(mkdtempSync(join(home, 'car-')));
      const imported = await importDirectory(store, [{ path: 'big.bin', content: [big] }], DEFAULT_PROFILE);
      const chunks: Uint8Array[] = [];
      for await (const c of await exportCar(store, imported.root)) chunks.push(c);
      await store.close();
      const carTooBig = await upload(SMALL_GATEWAY_PORT, Buffer.concat(chunks), { 'content-type': 'application/vnd.ipld.car', ...auth() });
      assert.equal(carTooBig.status, 413, JSON.stringify(carTooBig.body));
      assert.match(carTooBig.body.error!, limit);

      const small = await upload(SMALL_GATEWAY_PORT, form({ 'index.html': '<h1>small</h1>' }), auth());
      assert.equal(small.status, 201, `an upload under the limit is accepted there: ${JSON.stringify(small.body)}`);
    });

    it('malformed CIDs and paths get 400, unknown CIDs and sites 404, and nothing outside the content is reachable', async () => {
      const unknown = CID.createV1(0x55, await sha256.digest(Buffer.from(`not stored anywhere ${Date.now()}`))).toString();
      const cid = site.cid;
      for (const port of [...GATEWAYS, SMALL_GATEWAY_PORT]) {
        const where = `gateway ${port}`;
        for (const path of ['/ipfs/not-a-cid/', '/ipfs/bafy!!!/index.html', '/ipfs/Qm123/']) {
          const r = await httpRequest(port, path);
          assert.equal(r.status, 400, `${where} ${path}: ${r.text()}`);
          assert.match(r.json().error, /CID/i, `${where} ${path}`);
        }
        for (const path of [`/ipfs/${cid}/../../../etc/passwd`, `/ipfs/${cid}/css/%2e%2e/index.html`, `/ipfs/${cid}/%2E%2E/%2E%2E/provider.json`]) {
          const r = await httpRequest(port, path);
          assert.equal(r.status, 400, `${where} ${path}: ${r.text()}`);
          assert.match(r.json().error, /"\.\." is not allowed/, `${where} ${path}`);
        }
        const sitePath = await siteRequest(port, 'journey', '/../../provider.json');
        assert.equal(sitePath.status, 400, `${where} site path with ..: ${sitePath.text()}`);

        const missing = await httpRequest(port, `/ipfs/${unknown}/`);
        assert.equal(missing.status, 404, `${where} unknown CID: ${missing.text()}`);
        assert.match(missing.json().error, /not stored on this network/);
        const noSite = await siteRequest(port, 'no-such-site', '/');
        assert.equal(noSite.status, 404, `${where} unknown site: ${noSite.text()}`);
        assert.match(noSite.json().error, /no site named "no-such-site"/);
        const badFormat = await httpRequest(port, `/ipfs/${cid}/?format=tar`);
        assert.equal(badFormat.status, 400, `${where} unknown format`);
      }
    });

    it('the CLI refuses an unknown deal and a bad site name with a clear message (exit code 1, nothing uploaded)', async () => {
      const names = ['Not_A_Name', 'a.b', '-dash', 'x'.repeat(64)];
      const [missing, ...runs] = await Promise.all([
        trucom(['deal', 'show', '99999', '--node', RPC]),
        ...names.map((name) => trucom(['site', 'publish', siteDir, '--name', name, '--from', 'publisher', '--node', RPC, '--gateway', gatewayUrl(GATEWAYS[0]!)])),
      ]);
      assert.equal(missing!.code, 1, missing!.stdout);
      assert.match(missing!.stderr, /^error: no deal 99999$/m);
      assert.equal(missing!.stdout, '');
      runs.forEach((r, i) => {
        assert.equal(r.code, 1, `${names[i]}: ${r.stdout}`);
        assert.match(r.stderr, /must be one DNS label/, names[i]);
        assert.doesNotMatch(r.stderr, /uploading/, `${names[i]}: refused before any upload`);
        assert.equal(r.stdout, '');
      });
    });

    it('every validator and gateway is still alive', async () => {
      assert.ok(await allHealthy([...VALIDATOR_RPCS, PORTS.rest, ...GATEWAYS, PORTS.dashboard, SMALL_GATEWAY_PORT]), 'every service answers /health with 200');
      const restHealth = await restJson<{ status: string }>(REST, '/health');
      assert.equal(restHealth.body.status, 'ok');
      assert.doesNotMatch(devnet!.process.stdout(), /\bv\d exited|exited unexpectedly/, 'no validator stopped (an invariant broken after a block stops it)');
      for (const port of VALIDATOR_RPCS) assert.equal((await httpRequest(port, '/health')).status, 200);
    });
  });
});
