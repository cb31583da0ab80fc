import type { ValidatorInfo } from '@trucom/chain';
import { ProposerPriority, proposerSchedule } from '../tendermint/proposer.js';
import type { Address, ValidatorPower } from '../tendermint/types.js';
import { addressId } from './signed-messages.js';

function powers(set: readonly ValidatorInfo[]): ValidatorPower[] {
  return set.map((v) => ({ address: addressId(v.address), power: BigInt(v.votingPower) }));
}

/**
 * CometBFT's proposer priorities carried from height to height: each height starts from the last
 * one's priorities advanced by one selection; validators joining the set start at -1.125 × total
 * power (so they do not propose at once), leaving ones are dropped. Priorities are recomputed from
 * height 1 when the node starts (cheap: a few bigint additions per validator and height).
 */
export class ProposerRotation {
  private height = 1;
  private priorities = new Map<Address, bigint>();
  private readonly schedules = new Map<number, (round: number) => Address>();

  constructor(private readonly setAt: (height: number) => readonly ValidatorInfo[]) {}

  /** The proposer of each round at `height` (not before the lowest height asked for so far). */
  scheduleAt(height: number): (round: number) => Address {
    const cached = this.schedules.get(height);
    if (cached) return cached;
    if (height < this.height) throw new Error(`proposer priorities of height ${height} are no longer kept`);
    while (this.height < height) this.advance();
    const schedule = proposerSchedule(powers(this.setAt(height)), this.priorities);
    this.schedules.set(height, schedule);
    for (const h of this.schedules.keys()) if (h < height - 2) this.schedules.delete(h);
    return schedule;
  }

  private advance(): void {
    const current = powers(this.setAt(this.height));
    const pp = new ProposerPriority(current, this.priorities);
    pp.next();
    const carried = pp.snapshot();
    this.height++;
    const next = powers(this.setAt(this.height));
    const total = next.reduce((s, v) => s + v.power, 0n);
    this.priorities = new Map(next.map((v) => [v.address, carried.get(v.address) ?? -(total + total / 8n)]));
  }
}
