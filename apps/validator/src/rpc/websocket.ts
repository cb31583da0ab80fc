import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { ChainNode } from '@trucom/chain';
import { errorResponse, type JsonRpcDispatcher, type JsonRpcResponse } from './json-rpc.js';
import { RpcError } from './rpc-error.js';
import { eventsFor, MAX_SUBSCRIPTIONS_PER_CLIENT, parseSubscription, type Subscription } from './subscriptions.js';

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

interface Client {
  readonly socket: WebSocket;
  /** Subscriptions by query; events go out with the id of the request that subscribed. */
  readonly subscriptions: Map<string, { id: unknown; sub: Subscription }>;
}

/**
 * CometBFT's /websocket endpoint: any RPC method, plus subscribe / unsubscribe / unsubscribe_all
 * to NewBlock, NewBlockHeader and Tx events filtered by the query language.
 */
export function attachWebSocket(server: Server, node: ChainNode, dispatcher: JsonRpcDispatcher, log: Logger): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const clients = new Set<Client>();

  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { socket: ws, subscriptions: new Map() };
      clients.add(client);
      ws.on('message', (data) => void onMessage(client, data.toString()));
      ws.on('close', () => clients.delete(client));
      ws.on('error', (err) => log.debug({ err }, 'websocket error'));
    });
  });

  const send = (client: Client, msg: JsonRpcResponse) => {
    if (client.socket.readyState === client.socket.OPEN) client.socket.send(JSON.stringify(msg));
  };

  async function onMessage(client: Client, text: string): Promise<void> {
    let req: Record<string, unknown>;
    try {
      req = JSON.parse(text);
    } catch (err) {
      return send(client, errorResponse(null, RpcError.parse((err as Error).message)));
    }
    if (typeof req !== 'object' || req === null || Array.isArray(req)) return send(client, errorResponse(null, RpcError.invalidRequest('request must be a JSON object')));
    const id = req.id ?? null;
    const params = (req.params ?? {}) as Record<string, unknown>;
    try {
      switch (req.method) {
        case 'subscribe': {
          if (client.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CLIENT) throw RpcError.internal(`max subscriptions per client (${MAX_SUBSCRIPTIONS_PER_CLIENT}) reached`);
          const query = String(params.query ?? '');
          if (client.subscriptions.has(query)) throw RpcError.internal('already subscribed');
          client.subscriptions.set(query, { id, sub: parseSubscription(query) });
          return send(client, { jsonrpc: '2.0', id, result: {} });
        }
        case 'unsubscribe': {
          const query = String(params.query ?? '');
          if (!client.subscriptions.delete(query)) throw RpcError.internal('subscription not found');
          return send(client, { jsonrpc: '2.0', id, result: {} });
        }
        case 'unsubscribe_all':
          client.subscriptions.clear();
          return send(client, { jsonrpc: '2.0', id, result: {} });
        default:
          return send(client, await dispatcher.handle(req));
      }
    } catch (err) {
      send(client, errorResponse(id, err instanceof RpcError ? err : RpcError.internal(String(err))));
    }
  }

  const stop = node.onBlock((committed) => {
    for (const client of clients) {
      for (const { id, sub } of client.subscriptions.values()) {
        for (const result of eventsFor(sub, committed)) send(client, { jsonrpc: '2.0', id, result });
      }
    }
  });

  return () => {
    stop();
    for (const c of clients) c.socket.terminate();
    wss.close();
  };
}
