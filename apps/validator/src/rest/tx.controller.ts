import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { fromBase64, sha256, toUpperHex } from '@trucom/crypto';
import type { ChainNode } from '@trucom/chain';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { CHAIN_NODE } from './lcd.controller.js';
import { lcdError, lcdQuery } from './lcd.js';

const BROADCAST_MODES = ['BROADCAST_MODE_SYNC', 'BROADCAST_MODE_ASYNC'] as const;

function txBytes(body: unknown): Uint8Array {
  const b64 = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).tx_bytes : undefined;
  if (typeof b64 !== 'string' || b64 === '') throw lcdError(400, 3, 'tx_bytes is required (base64 of the TxRaw bytes)');
  try {
    return fromBase64(b64);
  } catch {
    throw lcdError(400, 3, 'tx_bytes is not valid base64');
  }
}

type EventLike = { type: string; attributes: readonly { key: string; value: string; index: boolean }[] };

function eventsJson(events: readonly EventLike[]) {
  return events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })) }));
}

/**
 * The Cosmos SDK tx service over REST (grpc-gateway shapes), which Keplr and other LCD-based wallets
 * use to simulate and broadcast: POST /cosmos/tx/v1beta1/simulate and /cosmos/tx/v1beta1/txs.
 */
@Controller('cosmos/tx/v1beta1')
export class TxController {
  constructor(@Inject(CHAIN_NODE) private readonly node: ChainNode) {}

  @Post('simulate')
  @HttpCode(200)
  async simulate(@Body() body: unknown) {
    const request = SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes: txBytes(body) })).finish();
    const r = await lcdQuery(this.node, '/cosmos.tx.v1beta1.Service/Simulate', request, SimulateResponse.decode);
    return {
      gas_info: { gas_wanted: String(r.gasInfo?.gasWanted ?? 0n), gas_used: String(r.gasInfo?.gasUsed ?? 0n) },
      result: {
        data: '',
        log: r.result?.log ?? '',
        events: eventsJson(r.result?.events ?? []),
        msg_responses: (r.result?.msgResponses ?? []).map((m) => ({ '@type': m.typeUrl })),
      },
    };
  }

  @Post('txs')
  @HttpCode(200)
  async broadcast(@Body() body: unknown) {
    const raw = txBytes(body);
    const mode = (body as Record<string, unknown>).mode ?? 'BROADCAST_MODE_SYNC';
    if (!BROADCAST_MODES.includes(mode as (typeof BROADCAST_MODES)[number])) {
      throw lcdError(400, 3, `unsupported broadcast mode ${JSON.stringify(mode)}; use BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC`);
    }
    if (mode === 'BROADCAST_MODE_ASYNC') {
      void this.node.submitTx(raw).catch(() => undefined);
      return { tx_response: txResponse(toUpperHex(sha256(raw)), { code: 0, codespace: '', log: '', gasWanted: 0, gasUsed: 0, events: [] }) };
    }
    const r = await this.node.submitTx(raw);
    return { tx_response: txResponse(r.hashHex, r) };
  }
}

/** A CheckTx outcome as the SDK's TxResponse JSON (height 0: not in a block yet). */
function txResponse(hash: string, r: { code: number; codespace: string; log: string; gasWanted: number; gasUsed: number; events: readonly EventLike[] }) {
  return {
    height: '0',
    txhash: hash,
    codespace: r.codespace,
    code: r.code,
    data: '',
    raw_log: r.log,
    logs: [],
    info: '',
    gas_wanted: String(r.gasWanted),
    gas_used: String(r.gasUsed),
    tx: null,
    timestamp: '',
    events: eventsJson(r.events),
  };
}
