/** The fact catalog (rules/facts.json) as the simulator's override choices, and overrides as a request's inline facts. */
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
