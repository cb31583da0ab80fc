import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import type { ChainNode } from '@trucom/chain';
import { trucom } from '@trucom/proto';
import { CHAIN_NODE } from './lcd.controller.js';
import { lcdError, lcdQuery } from './lcd.js';

const pb = trucom.anchors.v1;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Anchored Merkle roots over REST: `GET /trucom/anchors/v1/anchors/{root hex}[?namespace=]` →
 * `{anchors: [{root, namespace, sender, count, height, time}]}` (one per namespace the root was
 * anchored in). Unknown root → 404, malformed → 400 (grpc-gateway error bodies).
 */
@Controller('trucom/anchors/v1')
export class AnchorsController {
  constructor(@Inject(CHAIN_NODE) private readonly node: ChainNode) {}

  @Get('anchors/:root')
  async anchor(@Param('root') root: string, @Query('namespace') namespace: string | undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(root)) throw lcdError(400, 3, 'root must be 64 hex digits (a 32-byte Merkle root)');
    const r = await lcdQuery(this.node, '/trucom.anchors.v1.Query/Anchor', pb.QueryAnchorRequest.encode({ root: Buffer.from(root, 'hex'), namespace: namespace ?? '' }).finish(), (b) => pb.QueryAnchorResponse.decode(b));
    return {
      anchors: r.anchors.map((a) => ({ root: hex(a.root ?? new Uint8Array()), namespace: a.namespace, sender: a.sender, count: String(a.count), height: String(a.height), time: new Date(Number(a.time) * 1000).toISOString() })),
    };
  }
}
