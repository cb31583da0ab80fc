/**
 * Encrypted HLS streams from the outside: a source video made with ffmpeg, signed key requests
 * (ADR-036 over {"content","key","ts"}), and Debian's Chromium (playwright-core, never a downloaded
 * browser) playing /watch/{content} with a wallet that implements Keplr's API (enable, getKey,
 * signArbitrary) by signing in this process with the viewer's key.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { signAdr036 } from '@trucom/crypto';
import { adr036Authorization } from '@trucom/gateway/adr036-auth';
import { waitFor } from '@trucom/testkit';
import { makeTempDir } from './processes.js';

export const execFileAsync = promisify(execFile);

/** The final JSON line of `trucom stream publish` and `trucom stream live`. */
export interface PublishedStream {
  readonly content: string;
  readonly cid: string;
  readonly deal: number;
  readonly master: string;
  readonly watch: string;
}

/** A test video: testsrc pattern + a sine tone, H.264/AAC in MP4. */
export async function makeTestVideo(path: string, opts: { seconds: number; width: number; height: number; fps?: number }): Promise<void> {
  await execFileAsync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc=size=${opts.width}x${opts.height}:rate=${opts.fps ?? 30}`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(opts.seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path,
  ]);
}

/** The Authorization header of a key request, as the watch page builds it. */
export function keyAuthorization(privateKey: Uint8Array, content: string, key: string, ts = Math.floor(Date.now() / 1000)): string {
  const data = JSON.stringify({ content, key, ts });
  const { signer, signature } = signAdr036(privateKey, data);
  return adr036Authorization({ signer, data, ...signature });
}

/** Status and body of `GET {gateway}/keys/{content}/{keyId}` with `authorization` (if any). */
export async function requestKey(gateway: string, content: string, keyId: string, authorization?: string): Promise<{ status: number; body: Buffer; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${gateway}/keys/${content}/${keyId}`, { headers: authorization ? { authorization } : {}, signal: AbortSignal.timeout(10_000) });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body, ms: performance.now() - t0 };
}

export interface PlayerError {
  readonly details: string;
  readonly fatal: boolean;
  readonly code?: number;
}

export interface Chromium {
  readonly context: BrowserContext;
  /** Opens `url` (a /watch page) with a Keplr-like wallet signing as `privateKey`. */
  watch(url: string, privateKey: Uint8Array): Promise<Page>;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh user data dir removed on close. */
export async function launchChromium(): Promise<Chromium> {
  const profile = makeTempDir('trucom-chromium-');
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--autoplay-policy=no-user-gesture-required'],
  });
  return {
    context,
    async watch(url, privateKey) {
      const page = await context.newPage();
      const { signer } = signAdr036(privateKey, 'address');
      await page.exposeFunction('trucomTestSign', (data: string) => signAdr036(privateKey, data).signature);
      // what the Keplr extension injects, signing through the function exposed above (page scripts are strings: no DOM types here)
      await page.addInitScript(`window.keplr = {
        enable: async () => undefined,
        getKey: async () => ({ bech32Address: ${JSON.stringify(signer)} }),
        signArbitrary: async (chainId, signer, data) => {
          if (signer !== ${JSON.stringify(signer)}) throw new Error('this wallet holds ${signer}, not ' + signer);
          return window.trucomTestSign(data);
        },
      };`);
      await page.goto(url);
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      profile.remove();
    },
  };
}

export const currentTime = (page: Page) => page.evaluate<number>("document.getElementById('video').currentTime");
export const bufferedRanges = (page: Page) => page.evaluate<number>("document.getElementById('video').buffered.length");
export const playerErrors = (page: Page) => page.evaluate<PlayerError[]>('(window.trucomPlayer?.errors ?? []).map((e) => ({ ...e }))');
export const statusText = (page: Page) => page.evaluate<string>("document.getElementById('status').textContent ?? ''");

/** Waits until the video's currentTime reaches `seconds`; fails at once on a fatal player error. */
export async function playUntil(page: Page, seconds: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const state = async () => `currentTime ${await currentTime(page)}, errors ${JSON.stringify(await playerErrors(page))}, status "${await statusText(page)}"`;
  for (;;) {
    const fatal = (await playerErrors(page)).filter((e) => e.fatal);
    if (fatal.length > 0) throw new Error(`fatal player error before ${seconds} s: ${await state()}`);
    const t = await currentTime(page);
    if (t >= seconds) return t;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for currentTime ≥ ${seconds} s: ${await state()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits for a KEY_LOAD_ERROR with HTTP `code` in the page's recorded hls.js errors. */
export function keyLoadError(page: Page, code: number, timeoutMs: number): Promise<PlayerError> {
  return waitFor(`KEY_LOAD_ERROR ${code}`, async () => (await playerErrors(page)).find((e) => e.details === 'keyLoadError' && e.code === code), timeoutMs, 100);
}
