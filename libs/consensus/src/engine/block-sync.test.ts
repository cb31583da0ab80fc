import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChainNode } from '@trucom/chain';
import { BlockSync } from './block-sync.js';
import { PROTOCOLS, type ConsensusNetwork } from './network.js';
import { StatusResponse } from './signed-messages.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A network of one peer at height 0 that counts the status requests it gets. */
function countingNetwork() {
  const counts = { status: 0 };
  const network: ConsensusNetwork = {
    publish() {},
    onMessage: () => () => {},
    handle() {},
    async request(_peer, protocol) {
      if (protocol === PROTOCOLS.status) counts.status++;
      return StatusResponse.encode({ base: 0, height: 0 }).finish();
    },
    connectedPeers: () => [{ peerId: 'peer' }],
    penalize() {},
    validateTopic() {},
  };
  return { network, counts };
}

const until = async (ok: () => boolean, ms = 5_000) => {
  for (const deadline = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 5))) if (Date.now() > deadline) throw new Error('timed out');
};

describe('BlockSync polling', () => {
  test('asks peers every interval; while consensus is live, only every tenth', async () => {
    let live = false;
    const { network, counts } = countingNetwork();
    const node = { height: 0, blocks: { base: 0 } } as unknown as ChainNode;
    const sync = new BlockSync({ node, network, log: silent, commit: async () => {}, live: () => live, intervalMs: 10 });
    sync.start();
    try {
      await until(() => counts.status >= 5);
      live = true;
      const from = counts.status;
      const ticksFrom = Date.now();
      await until(() => Date.now() - ticksFrom >= 250);
      const whileLive = counts.status - from;
      assert.ok(whileLive <= 4, `at most one poll in ten ticks while live (${whileLive} in ~25 ticks)`);
      live = false;
      const resumed = counts.status;
      await until(() => counts.status >= resumed + 5);
    } finally {
      await sync.stop();
    }
  });
});
