import { Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { trucom } from '@trucom/proto';

interface ProtobufjsType {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  create(properties?: Record<string, unknown>): unknown;
}

/**
 * Every `/trucom.<module>.v1.Msg…` type from the compiled protos (responses excluded), adapted to
 * cosmjs' GeneratedType: the protos are the one list of our messages.
 */
export function trucomMsgTypes(): [string, GeneratedType][] {
  const out: [string, GeneratedType][] = [];
  for (const [module, versions] of Object.entries(trucom).sort(([a], [b]) => a.localeCompare(b))) {
    const v1 = (versions as Record<string, Record<string, unknown>>).v1;
    if (!v1) continue;
    for (const [name, type] of Object.entries(v1).sort(([a], [b]) => a.localeCompare(b))) {
      if (!/^Msg[A-Z]/.test(name) || name.endsWith('Response')) continue;
      const t = type as ProtobufjsType;
      out.push([`/trucom.${module}.v1.${name}`, { encode: (m: unknown) => t.encode(m), decode: (b: Uint8Array) => t.decode(b), fromPartial: (o: Record<string, unknown>) => t.create(o) } as unknown as GeneratedType]);
    }
  }
  return out;
}

/** cosmjs' default Cosmos types plus ours: what a SigningStargateClient needs to sign any Trucom tx. */
export function trucomRegistry(): Registry {
  return new Registry([...defaultRegistryTypes, ...trucomMsgTypes()]);
}
