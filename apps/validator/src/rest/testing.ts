import { Registry } from 'prom-client';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ChainNode } from '@trucom/chain';
import { createLogger, listeningPort, startHttpApp } from '@trucom/nest-common';
import type { TestChain } from '../../../../contracts/app/dist/testing.js';
import { RestModule } from './rest.module.js';

export interface TestRest {
  readonly app: NestFastifyApplication;
  /** GET a path; the status and the JSON body. */
  get(path: string): Promise<{ status: number; body: any }>;
}

/** The REST port's routes over a test chain's app (queried as ChainNode queries it), on a free port. For tests. */
export async function startTestRest(chain: TestChain): Promise<TestRest> {
  const node = { app: chain.app, chainId: chain.chainId, get height() { return chain.height; }, nextBlockInfo: () => chain.blockInfo() } as unknown as ChainNode;
  const app = await startHttpApp(RestModule.forRoot(node, null, new Registry()), { host: '127.0.0.1', port: 0, logger: createLogger('test', { level: 'silent' } as never) });
  const base = `http://127.0.0.1:${listeningPort(app)}`;
  return {
    app,
    async get(path) {
      const r = await fetch(base + path);
      return { status: r.status, body: await r.json() };
    },
  };
}
