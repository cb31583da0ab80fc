/** ABCI events: what a tx or block did, as typed key/value attributes; indexed ones are searchable. */
export interface EventAttribute {
  readonly key: string;
  readonly value: string;
  readonly index: boolean;
}

export interface Event {
  readonly type: string;
  readonly attributes: EventAttribute[];
}

/**
 * Attributes the tx index leaves out (index: false): bulky or unique values nobody searches by,
 * which would otherwise add an index row per tx each (amounts, signatures, fees, message positions).
 * Addresses, actions, modules and account sequences stay searchable, as cosmjs and explorers expect.
 */
const UNINDEXED_KEYS = new Set(['amount', 'signature', 'fee', 'msg_index']);

export class EventManager {
  readonly events: Event[] = [];

  /** False where events are thrown away: hot paths then skip formatting attribute values. */
  get recording(): boolean {
    return true;
  }

  emit(type: string, attributes: Record<string, string>): void {
    const list: EventAttribute[] = [];
    for (const key in attributes) list.push({ key, value: attributes[key]!, index: !UNINDEXED_KEYS.has(key) });
    this.events.push({ type, attributes: list });
  }

  /** Adds an attribute (e.g. msg_index) to every event emitted since `from`. */
  tagSince(from: number, key: string, value: string): void {
    const index = !UNINDEXED_KEYS.has(key);
    for (let i = from; i < this.events.length; i++) this.events[i]!.attributes.push({ key, value, index });
  }
}

/**
 * Events that go nowhere: CheckTx and recheck results are never reported with their events
 * (broadcast_tx_* leave them out, as CometBFT's do), so building them there is wasted work.
 */
export class DiscardedEvents extends EventManager {
  override get recording(): boolean {
    return false;
  }
  override emit(): void {}
  override tagSince(): void {}
}
