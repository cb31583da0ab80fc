import type { TrucomQueries } from '@trucom/client';

/** Whether a gateway holds a root's whole DAG (it answers `only-if-cached` requests with 200). */
export async function gatewayHolds(endpoint: string, cid: string): Promise<boolean> {
  try {
    const res = await fetch(new URL(`/ipfs/${cid}`, endpoint), { method: 'HEAD', headers: { 'cache-control': 'only-if-cached' }, signal: AbortSignal.timeout(5_000), redirect: 'manual' });
    return res.status === 200 || res.status === 301;
  } catch {
    return false;
  }
}

/**
 * Waits until `want` of the deal's live replicas hold its content; resolves to their endpoints.
 * `progress` hears each change of the count.
 */
export async function waitForReplicas(chain: TrucomQueries, dealId: number, want: number, timeoutMs: number, progress: (held: number) => void): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    const found = await chain.deal(dealId);
    const deal = found?.deal;
    if (!deal) throw new Error(`deal ${dealId} is not on chain`);
    const endpoints = found.endpoints ?? {};
    const live = (deal.replicas ?? []).filter((r) => r.status !== 'failed').map((r) => endpoints[r.provider!]).filter((e): e is string => !!e);
    const holding = (await Promise.all(live.map(async (e) => ((await gatewayHolds(e, deal.cid!)) ? e : undefined)))).filter((e): e is string => !!e);
    if (holding.length !== last) progress((last = holding.length));
    if (holding.length >= want) return holding;
    if (Date.now() > deadline) throw new Error(`after ${Math.round(timeoutMs / 1000)} s only ${holding.length} of ${want} replicas of deal ${dealId} hold ${deal.cid}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
