import { Body, Controller, HttpCode, HttpException, Inject, Post } from '@nestjs/common';
import { Faucet, FaucetError } from './faucet.js';

export const FAUCET = Symbol('FAUCET');

/** POST /faucet {"address": "tru1…"} on the devnet's REST port. */
@Controller('faucet')
export class FaucetController {
  constructor(@Inject(FAUCET) private readonly faucet: Faucet | null) {}

  @Post()
  @HttpCode(200)
  async fund(@Body() body: unknown) {
    if (!this.faucet) throw new HttpException({ code: 12, message: 'this node has no faucet (devnet only)', details: [] }, 501);
    try {
      const address = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).address : undefined;
      return await this.faucet.fund(address);
    } catch (err) {
      if (err instanceof FaucetError) throw new HttpException({ code: err.status, message: err.message, details: [] }, err.status);
      throw err;
    }
  }
}
