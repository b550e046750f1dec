/**
 * The fact catalog (rules/facts.json) as the simulator's override choices: checked as the service checks
 * them, written into and read from the URL, and turned into a request's inline facts.
 */
import catalog from '../../../rules/facts.json';
import type { InlineFacts } from './types';

interface MemberDefinition { type: string; enum?: string[]; description?: string }

export interface FactMember {
  /** `fact.member`, e.g. `relation.recipientFollowsSender`. */
  key: string;
  type: 'boolean' | 'number' | 'string';
  options?: string[];
  description: string;
}

export interface FactOverride { key: string; value: string | number | boolean }

const facts = catalog.facts as Record<string, { members: Record<string, MemberDefinition> }>;

export const factMembers: FactMember[] = Object.entries(facts).flatMap(([fact, { members }]) =>
  Object.entries(members).map(([member, def]) => ({
    key: `${fact}.${member}`,
    type: def.type === 'boolean' || def.type === 'number' ? def.type : 'string',
    options: def.enum,
    description: def.description ?? '',
  })));

export const defaultValue = (member: FactMember): FactOverride['value'] =>
  member.type === 'boolean' ? true : member.type === 'number' ? 0 : (member.options?.[0] ?? '');

/** `[{ key: 'relation.blocked', value: false }]` → `{ relation: { blocked: false } }`; none → undefined. */
export function toInlineFacts(overrides: FactOverride[]): InlineFacts | undefined {
  if (!overrides.length) return undefined;
  const result: InlineFacts = {};
  for (const { key, value } of overrides) {
    const [fact, member] = key.split('.');
    (result[fact] ??= {})[member] = value;
  }
  return result;
}

export const memberOf = (key: string): FactMember | undefined => factMembers.find((m) => m.key === key);

/**
 * What is wrong with an override's value, in words, or null. The catalog's numbers are all counts, lengths
 * or ages, so a number is a whole one from 0 — the service refuses anything else.
 */
export function overrideProblem(override: FactOverride): string | null {
  const member = memberOf(override.key);
  if (!member) return `${override.key} is no fact of the catalog`;
  if (member.type !== 'number') return null;
  const value = override.value as unknown;
  if (value === null || value === undefined || value === '' || typeof value !== 'number' || !Number.isFinite(value)) return `${override.key} needs a number`;
  if (!Number.isInteger(value) || value < 0) return `${override.key} is a count: a whole number from 0`;
  return null;
}

/** `{ key: 'quota.dailyUsed', value: 3 }` → `quota.dailyUsed:3`, as the URL keeps it. */
export const encodeOverride = (o: FactOverride) => `${o.key}:${o.value}`;

/** `quota.dailyUsed:3` → `{ key: 'quota.dailyUsed', value: 3 }`, typed by the catalog; null for no fact of it. */
export function decodeOverride(text: string): FactOverride | null {
  const at = text.indexOf(':');
  const key = at < 0 ? text : text.slice(0, at);
  const raw = at < 0 ? '' : text.slice(at + 1);
  const member = memberOf(key);
  if (!member) return null;
  const value = member.type === 'boolean' ? raw === 'true' : member.type === 'number' ? (raw === '' ? Number.NaN : Number(raw)) : raw;
  return { key, value };
}
