/** The fact catalog (rules/facts.json), typed: every fact a rule may read, the operators and the events. */
import catalogJson from '../../rules/facts.json' with { type: 'json' };

export type ValueType = 'string' | 'number' | 'boolean';

export interface FactMember {
  type: ValueType;
  enum?: string[];
  description?: string;
}

export interface Catalog {
  facts: Record<string, { description: string; members: Record<string, FactMember> }>;
  operators: string[];
  events: { outcomes: string[]; limits: Record<string, string> };
}

export const catalog = catalogJson as Catalog;
