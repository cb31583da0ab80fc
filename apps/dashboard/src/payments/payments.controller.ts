import { Controller, Get, Header, HttpException, Inject, Query } from '@nestjs/common';
import { isValidAddress } from '@trucom/crypto';
import { PaymentIndexer } from './payment-indexer.js';

/** Most entries one answer carries (newest first); a deal pays each replica once per epoch, so this is weeks of history. */
export const MAX_PAYMENTS = 2000;

/** 400 with `{error}`, the JSON error shape of every Trucom HTTP service. */
const badRequest = (error: string) => new HttpException({ error }, 400);

/** `GET /api/v1/payments?owner=tru1…`: a deal owner's indexed payment history. */
@Controller('api/v1/payments')
export class PaymentsController {
  constructor(@Inject(PaymentIndexer) private readonly indexer: PaymentIndexer) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async list(@Query('owner') owner: unknown) {
    if (typeof owner !== 'string' || owner === '') throw badRequest('owner is required: the deal owner address, e.g. ?owner=tru1…');
    if (!isValidAddress(owner)) throw badRequest(`owner ${JSON.stringify(owner)} is not a valid Trucom address (bech32, starting with "tru1")`);
    const [indexedHeight, payments] = await Promise.all([this.indexer.store.indexedHeight(), this.indexer.store.ofOwner(owner, MAX_PAYMENTS)]);
    return { owner, indexedHeight, payments };
  }
}
