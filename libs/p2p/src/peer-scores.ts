export interface PeerScoreOptions {
  /** Penalty points at which a peer is disconnected and banned. Default 100. */
  banThreshold?: number;
  /** How long a banned peer is refused. Default 60 s. */
  banMs?: number;
  /** Penalties halve every `halfLifeMs`, so occasional faults are forgiven. Default 60 s. */
  halfLifeMs?: number;
}

interface Score {
  points: number;
  at: number;
  bannedUntil: number;
}

/** Application-level misbehaviour score per peer (higher is worse), with a ban window past a threshold. */
export class PeerScores {
  readonly banThreshold: number;
  readonly banMs: number;
  private readonly halfLifeMs: number;
  private readonly scores = new Map<string, Score>();

  constructor(opts: PeerScoreOptions = {}) {
    this.banThreshold = opts.banThreshold ?? 100;
    this.banMs = opts.banMs ?? 60_000;
    this.halfLifeMs = opts.halfLifeMs ?? 60_000;
  }

  /** Adds penalty points; returns the new score and whether this penalty started a ban. */
  penalize(peerId: string, points: number, now = Date.now()): { score: number; banned: boolean } {
    const s = this.current(peerId, now);
    s.points += Math.max(0, points);
    let banned = false;
    if (s.points >= this.banThreshold && s.bannedUntil <= now) {
      s.bannedUntil = now + this.banMs;
      s.points = 0; // served by the ban; the peer starts clean when it ends
      banned = true;
    }
    this.scores.set(peerId, s);
    return { score: s.points, banned };
  }

  /** Current penalty points (decayed). */
  score(peerId: string, now = Date.now()): number {
    return this.scores.has(peerId) ? this.current(peerId, now).points : 0;
  }

  isBanned(peerId: string, now = Date.now()): boolean {
    return (this.scores.get(peerId)?.bannedUntil ?? 0) > now;
  }

  private current(peerId: string, now: number): Score {
    const s = this.scores.get(peerId) ?? { points: 0, at: now, bannedUntil: 0 };
    if (now > s.at) {
      s.points *= Math.pow(0.5, (now - s.at) / this.halfLifeMs);
      if (s.points < 0.01) s.points = 0;
      s.at = now;
    }
    if (s.points === 0 && s.bannedUntil <= now) this.scores.delete(peerId);
    return s;
  }
}
