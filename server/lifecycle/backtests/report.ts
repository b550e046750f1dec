/** What a backtest reports: the candidate's decisions against what really happened, tallied as they come. */
import type { Decision } from '../../policy/decision.ts';
import type { Outcome } from '../../policy/document.ts';
import type { ReplayAttempt } from './attempt.ts';

export const outcomes: readonly Outcome[] = ['allow', 'request', 'deny', 'limit'];
export type OutcomeCounts = Record<Outcome, number>;

export interface Flip {
  from: Outcome;
  to: Outcome;
  count: number;
}

export interface SenderImpact {
  senderId: string;
  /** Attempts whose outcome the candidate changed. */
  changed: number;
  flips: Flip[];
}

export interface ReasonDifference {
  actual: string;
  candidate: string;
  count: number;
}

export interface ReplayReport {
  window: { from: string; to: string; warmUpFrom: string };
  candidate: { policy: string; version: string; parameters?: Record<string, number> };
  /** Attempts in [from, to); the warm-up's are counted, not reported. */
  attempts: number;
  warmUpAttempts: number;
  /** Attempts whose outcome differs. */
  changed: number;
  mix: { actual: OutcomeCounts; candidate: OutcomeCounts };
  /** transitions[actual][candidate]: how many attempts went from one outcome to the other. */
  transitions: Record<Outcome, OutcomeCounts>;
  /** Attempts decided for another reason (or with another outcome), by (actual reason → candidate reason), most first. */
  reasons: ReasonDifference[];
  /** The senders with the most changed outcomes, most first (at most `topSenders`). */
  senders: SenderImpact[];
  /** Senders (and attempts) that flip between admitted (allow, request) and refused (deny, limit). */
  blastRadius: { sendersNewlyRefused: number; sendersNewlyAdmitted: number; attemptsNewlyRefused: number; attemptsNewlyAdmitted: number };
}

export const topSenders = 20;
const maxReasons = 100;

const admitted = (o: Outcome) => o === 'allow' || o === 'request';
export const zeroCounts = (): OutcomeCounts => ({ allow: 0, request: 0, deny: 0, limit: 0 });

interface SenderTally {
  changed: number;
  flips: Map<string, number>;
  newlyRefused: boolean;
  newlyAdmitted: boolean;
}

export class ReplayTally {
  private attempts = 0;
  private changed = 0;
  private readonly actual = zeroCounts();
  private readonly candidate = zeroCounts();
  private readonly transitions = Object.fromEntries(outcomes.map((o) => [o, zeroCounts()])) as Record<Outcome, OutcomeCounts>;
  private readonly reasons = new Map<string, number>();
  private readonly senders = new Map<string, SenderTally>();
  private attemptsNewlyRefused = 0;
  private attemptsNewlyAdmitted = 0;

  add(attempt: ReplayAttempt, decision: Decision): void {
    const { log } = attempt;
    const was = log.decision;
    const now = decision.outcome;
    const reason = decision.event.params.reason;
    this.attempts++;
    this.actual[was]++;
    this.candidate[now]++;
    this.transitions[was][now]++;
    if (was !== now || log.reason !== reason) {
      const key = `${log.reason}\n${reason}`;
      this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
    }
    if (was === now) return;
    this.changed++;
    let sender = this.senders.get(log.senderId);
    if (!sender) this.senders.set(log.senderId, (sender = { changed: 0, flips: new Map(), newlyRefused: false, newlyAdmitted: false }));
    sender.changed++;
    const flip = `${was}\n${now}`;
    sender.flips.set(flip, (sender.flips.get(flip) ?? 0) + 1);
    if (admitted(was) && !admitted(now)) {
      sender.newlyRefused = true;
      this.attemptsNewlyRefused++;
    } else if (!admitted(was) && admitted(now)) {
      sender.newlyAdmitted = true;
      this.attemptsNewlyAdmitted++;
    }
  }

  report(meta: Pick<ReplayReport, 'window' | 'candidate' | 'warmUpAttempts'>): ReplayReport {
    const senders = [...this.senders];
    return {
      ...meta,
      attempts: this.attempts,
      changed: this.changed,
      mix: { actual: { ...this.actual }, candidate: { ...this.candidate } },
      transitions: this.transitions,
      reasons: [...this.reasons]
        .map(([key, count]) => { const [actual, candidate] = key.split('\n'); return { actual, candidate, count }; })
        .sort((a, b) => b.count - a.count || a.actual.localeCompare(b.actual) || a.candidate.localeCompare(b.candidate))
        .slice(0, maxReasons),
      senders: senders
        .sort(([a, x], [b, y]) => y.changed - x.changed || a.localeCompare(b))
        .slice(0, topSenders)
        .map(([senderId, t]) => ({
          senderId, changed: t.changed,
          flips: [...t.flips].map(([key, count]) => { const [from, to] = key.split('\n') as [Outcome, Outcome]; return { from, to, count }; })
            .sort((a, b) => b.count - a.count),
        })),
      blastRadius: {
        sendersNewlyRefused: senders.filter(([, t]) => t.newlyRefused).length,
        sendersNewlyAdmitted: senders.filter(([, t]) => t.newlyAdmitted).length,
        attemptsNewlyRefused: this.attemptsNewlyRefused,
        attemptsNewlyAdmitted: this.attemptsNewlyAdmitted,
      },
    };
  }
}

export interface SweepPoint extends OutcomeCounts {
  value: number;
  /** deny + limit. */
  refused: number;
  /** Attempts whose outcome differs from what really happened. */
  changed: number;
}

export interface SweepReport {
  parameter: string;
  window: ReplayReport['window'];
  candidate: { policy: string; version: string };
  attempts: number;
  warmUpAttempts: number;
  actual: OutcomeCounts;
  /** One point per value: the candidate's decision mix with the parameter set to it. */
  curve: SweepPoint[];
}

/** The curve of refusals against the value, from one replay report per value. */
export function sweepReport(parameter: string, values: number[], reports: ReplayReport[]): SweepReport {
  const first = reports[0];
  return {
    parameter,
    window: first.window,
    candidate: { policy: first.candidate.policy, version: first.candidate.version },
    attempts: first.attempts,
    warmUpAttempts: first.warmUpAttempts,
    actual: first.mix.actual,
    curve: reports.map((r, i) => ({
      value: values[i], ...r.mix.candidate, refused: r.mix.candidate.deny + r.mix.candidate.limit, changed: r.changed,
    })),
  };
}
