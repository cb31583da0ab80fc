import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { bytesEqual, fromBase64, toBase64 } from '@trucom/crypto';
import type { PrivValidator } from './priv-validator.js';

/** The steps a validator signs at, in the order they happen within a round. */
export const SIGN_STEP = { propose: 1, prevote: 2, precommit: 3 } as const;
export type SignStep = (typeof SIGN_STEP)[keyof typeof SIGN_STEP];

export class DoubleSignError extends Error {
  override readonly name = 'DoubleSignError';
}

interface LastSigned {
  height: number;
  round: number;
  step: number;
  signature: string; // base64
  sign_bytes: string; // base64
}

/**
 * Never signs two different things for one height/round/step, across crashes (CometBFT's FilePV
 * rule). The last signed height/round/step is written and fsynced *before* a signature is returned,
 * so a validator killed at any moment cannot, after a restart, sign a conflicting vote or proposal.
 * Asking again for exactly the same bytes returns the same signature (a restart may re-broadcast).
 */
export class SafeSigner {
  private constructor(
    private readonly key: PrivValidator,
    private readonly statePath: string,
    private last: LastSigned | undefined,
  ) {}

  static open(key: PrivValidator, statePath: string): SafeSigner {
    const last = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as LastSigned) : undefined;
    return new SafeSigner(key, statePath, last);
  }

  get address(): Uint8Array {
    return this.key.address;
  }

  get lastSigned(): Readonly<Pick<LastSigned, 'height' | 'round' | 'step'>> | undefined {
    return this.last && { height: this.last.height, round: this.last.round, step: this.last.step };
  }

  sign(height: number, round: number, step: SignStep, signBytes: Uint8Array): Uint8Array {
    const last = this.last;
    if (last) {
      const order = compare([height, round, step], [last.height, last.round, last.step]);
      if (order < 0) throw new DoubleSignError(`refusing to sign at ${height}/${round}/${step}: already signed at ${last.height}/${last.round}/${last.step}`);
      if (order === 0) {
        if (bytesEqual(fromBase64(last.sign_bytes), signBytes)) return fromBase64(last.signature);
        throw new DoubleSignError(`refusing to sign different bytes at ${height}/${round}/${step}: that would be a double sign`);
      }
    }
    const signature = this.key.sign(signBytes);
    const next: LastSigned = { height, round, step, signature: toBase64(signature), sign_bytes: toBase64(signBytes) };
    writeDurably(this.statePath, JSON.stringify(next) + '\n');
    this.last = next;
    return signature;
  }
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Write to a temp file, fsync it, rename over the target, fsync the directory: all or nothing. */
function writeDurably(path: string, content: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
