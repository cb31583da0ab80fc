/** Working with unmodified cosmjs clients in tests: event streams and WebSocket clients. */
import { Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';

/** A cosmjs xstream-like stream. */
interface StreamLike<T> {
  addListener(l: { next: (v: T) => void; error: (e: unknown) => void; complete: () => void }): void;
  removeListener(l: { next: (v: T) => void; error: (e: unknown) => void; complete: () => void }): void;
}

/** The first event of `stream` satisfying `accept`, or a rejection after `timeoutMs`. Unsubscribes after. */
export function firstEvent<T>(stream: StreamLike<T>, what: string, accept: (v: T) => boolean = () => true, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // removing the last listener makes cosmjs unsubscribe; defer it out of the emit loop
      setImmediate(() => stream.removeListener(listener));
      fn();
    };
    const listener = {
      next: (v: T) => {
        if (accept(v)) done(() => resolve(v));
      },
      error: (e: unknown) => done(() => reject(e instanceof Error ? e : new Error(JSON.stringify(e)))),
      complete: () => done(() => reject(new Error(`stream for ${what} completed without the event`))),
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    stream.addListener(listener);
  });
}

/**
 * Comet38Client over a WebSocket (what `Comet38Client.connect('ws://…')` builds), with a close()
 * that really closes it. cosmjs 0.39's ReconnectingSocket reacts to its own disconnect() by
 * scheduling a reconnect (its status listener does not check `disconnected`), so a disconnected
 * client opens a new socket and then retries forever once the node is gone, keeping the test
 * process alive. close() disconnects, then cancels that reconnect.
 */
export function connectCometWebSocket(url: string): { client: Comet38Client; close(): void } {
  const rpcClient = new WebsocketClient(url, () => undefined);
  const client = Comet38Client.create(rpcClient);
  const reconnecting = (rpcClient as unknown as { socket: { reconnectTimeout: NodeJS.Timeout | null; socket: { reconnect(): void } } }).socket;
  return {
    client,
    close() {
      reconnecting.socket.reconnect = () => undefined;
      client.disconnect();
      if (reconnecting.reconnectTimeout) clearTimeout(reconnecting.reconnectTimeout);
    },
  };
}
