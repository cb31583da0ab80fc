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

export class EventManager {
  readonly events: Event[] = [];

  emit(type: string, attributes: Record<string, string>): void {
    this.events.push({ type, attributes: Object.entries(attributes).map(([key, value]) => ({ key, value, index: true })) });
  }

  /** Adds an attribute (e.g. msg_index) to every event emitted since `from`. */
  tagSince(from: number, key: string, value: string): void {
    for (const e of this.events.slice(from)) e.attributes.push({ key, value, index: true });
  }
}
