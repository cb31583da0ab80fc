import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonRpcDispatcher, uriParams } from './json-rpc.js';

export const RPC_DISPATCHER = Symbol('RPC_DISPATCHER');

/** CometBFT RPC over HTTP: JSON-RPC on POST /, and the URI form GET /<method>?args. */
@Controller()
export class RpcController {
  constructor(@Inject(RPC_DISPATCHER) private readonly rpc: JsonRpcDispatcher) {}

  @Post()
  async post(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const body = typeof req.body === 'string' ? req.body : Buffer.isBuffer(req.body) ? req.body.toString() : JSON.stringify(req.body ?? '');
    // 200 as CometBFT answers (Nest's @Post() would default to 201 Created)
    reply.status(200).header('content-type', 'application/json').send(JSON.stringify(await this.rpc.handleBody(body)));
  }

  @Get()
  index() {
    return { methods: this.rpc.methodNames, usage: 'POST JSON-RPC 2.0 to /, or GET /<method>?args; subscriptions over WebSocket at /websocket' };
  }

  @Get(':method')
  async get(@Param('method') method: string, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const response = await this.rpc.handle({ jsonrpc: '2.0', id: -1, method, params: uriParams(query) });
    reply.status(response.error?.code === -32601 ? 404 : 200).header('content-type', 'application/json').send(JSON.stringify(response));
  }
}
