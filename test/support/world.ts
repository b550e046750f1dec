/** A small vocabulary over the real HTTP API for tests: accounts, edges and sends at simulated times. */
import { expect } from 'vitest';
import type { TestService } from './service.ts';

/** Monday 2 March 2026, 10:00 UTC: far from midnight so that calendar and rolling days differ. */
export const t0 = Date.parse('2026-03-02T10:00:00.000Z');
export const minutes = (n: number) => n * 60_000;
export const hours = (n: number) => n * 3_600_000;
export const at = (offsetMs: number) => new Date(t0 + offsetMs);

export interface SendInput {
  senderId: string;
  recipientIds?: string[];
  kind?: 'direct' | 'group_create' | 'group_message' | 'group_invite';
  conversationId?: string;
  text?: string;
  channel?: 'web' | 'app' | 'api' | 'sms';
  appId?: string;
  media?: Array<{ id: string; fromConversationId?: string; shareable?: boolean }>;
  idempotencyKey?: string;
  trace?: boolean;
  facts?: Record<string, Record<string, unknown>>;
}

export function world(service: TestService) {
  const put = async (path: string, body?: unknown, now: Date = at(0)) => {
    const res = await service.call('PUT', path, { body: body ?? {}, now });
    expect(res.status, `PUT ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const del = async (path: string, now: Date = at(0)) => {
    const res = await service.call('DELETE', path, { now });
    expect(res.status, `DELETE ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const decide = async (path: string, input: SendInput, now: Date) => {
    const res = await service.call('POST', path, { body: input, now });
    expect(res.status, `POST ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  return {
    account: (id: string, body: Record<string, unknown>, now?: Date) => put(`/v1/accounts/${id}`, body, now),
    follow: (follower: string, followee: string, now?: Date) => put(`/v1/accounts/${follower}/following/${followee}`, undefined, now),
    unfollow: (follower: string, followee: string, now?: Date) => del(`/v1/accounts/${follower}/following/${followee}`, now),
    block: (blocker: string, blocked: string, now?: Date) => put(`/v1/accounts/${blocker}/blocks/${blocked}`, undefined, now),
    unblock: (blocker: string, blocked: string, now?: Date) => del(`/v1/accounts/${blocker}/blocks/${blocked}`, now),
    report: (reporter: string, reported: string, now?: Date) => put(`/v1/accounts/${reporter}/reports/${reported}`, undefined, now),
    accept: (recipient: string, sender: string, now?: Date) => put(`/v1/accounts/${recipient}/accepted/${sender}`, undefined, now),
    welcomeShown: (account: string, business: string, now?: Date) => put(`/v1/accounts/${account}/welcome-shown/${business}`, undefined, now),
    grant: (account: string, app: string, now?: Date) => put(`/v1/accounts/${account}/app-grants/${app}`, undefined, now),
    revoke: (account: string, app: string, now?: Date) => del(`/v1/accounts/${account}/app-grants/${app}`, now),
    /** Enforced send (POST /v1/sends) at `now` (default t0). */
    send: (input: SendInput, now: Date = at(0)) => decide('/v1/sends', input, now),
    /** Dry run (POST /v1/sends/check). */
    check: (input: SendInput, now: Date = at(0)) => decide('/v1/sends/check', input, now),
    /** A direct message from `from` to `to`. */
    dm: (from: string, to: string, now: Date = at(0), extra: Partial<SendInput> = {}) =>
      decide('/v1/sends', { senderId: from, recipientIds: [to], text: extra.text ?? `hello ${to} from ${from} ${Math.random()}`, ...extra }, now),
  };
}
