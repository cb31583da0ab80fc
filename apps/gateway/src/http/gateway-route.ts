import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import type { ContentGateway } from '../serving/content-gateway.js';
import type { GatewayResponse } from '../serving/responses.js';

export interface GatewayRouteDeps {
  readonly gateway: ContentGateway;
  /** Bytes of a response body sent for a deal (metering). */
  readonly served: (dealId: string, bytes: number) => void;
  readonly requests: Counter<'status'>;
}

/** Every GET/HEAD that no API route claims is a content request (`/ipfs/…` or a site origin). */
export function registerGatewayRoute(app: FastifyInstance, deps: GatewayRouteDeps): void {
  const serve = async (req: FastifyRequest, reply: FastifyReply) => {
    const res = await deps.gateway.handle({
      method: req.method === 'HEAD' ? 'HEAD' : 'GET',
      host: req.headers.host,
      url: req.url,
      headers: { accept: req.headers.accept, range: req.headers.range, 'if-none-match': req.headers['if-none-match'], 'cache-control': req.headers['cache-control'] },
    });
    deps.requests.inc({ status: String(res.status) });
    if (req.method === 'HEAD') {
      // Fastify would answer a bodiless HEAD with Content-Length: 0; HEAD must tell the GET's length.
      reply.hijack();
      reply.raw.writeHead(res.status, res.headers);
      reply.raw.end();
      return;
    }
    const body = bodyOf(res, deps.served);
    if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
      // A body already in memory goes straight to the socket: Fastify's reply pipeline (hooks,
      // serializers) has nothing to add to a finished response, and it costs on every request.
      reply.hijack();
      reply.raw.writeHead(res.status, res.headers);
      reply.raw.end(body);
      return;
    }
    reply.code(res.status).headers(res.headers);
    return reply.send(body);
  };
  app.route({ method: 'GET', url: '/*', exposeHeadRoute: false, handler: serve });
  app.route({ method: 'HEAD', url: '/*', handler: serve });
}

function bodyOf(res: GatewayResponse, served: GatewayRouteDeps['served']): Uint8Array | string | Readable | undefined {
  const { body, dealId } = res;
  if (body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    if (dealId) served(dealId, typeof body === 'string' ? Buffer.byteLength(body) : body.length);
    return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }
  return Readable.from(
    (async function* () {
      for await (const chunk of body) {
        if (dealId) served(dealId, chunk.length);
        yield chunk;
      }
    })(),
  );
}
