/**
 * The JSON tape (db/json-tape.ts) reads back exactly what JSON.parse reads, property-based: any rows
 * of JSON values, as JSON.stringify and SQLite write them (escapes, unicode, -0, exponents, numbers
 * past 2^53), each row's members in the text columns as texts, names numbered once across the tapes
 * of one encoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTapeEncoder, tapeOf, TapeNames, type TapeReader } from '../../db/json-tape.ts';

const json = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });
const rows = fc.array(fc.array(json, { maxLength: 6 }), { maxLength: 8 });

/** Every value of the page, read back member by member. */
function readBack(tape: TapeReader): unknown[][] {
  const out: unknown[][] = [];
  for (const row of tape.rows) {
    tape.at = row;
    const members: unknown[] = [];
    for (let n = tape.array(); n > 0; n--) members.push(tape.value());
    out.push(members);
  }
  return out;
}

describe('the JSON tape', () => {
  it('reads back what JSON.parse reads, over several tapes of one encoder', () => {
    fc.assert(fc.property(fc.array(rows, { minLength: 1, maxLength: 4 }), fc.uniqueArray(fc.nat(5), { maxLength: 3 }), (pages, textColumns) => {
      const encode = createTapeEncoder();
      const names = new TapeNames();
      for (const page of pages) {
        const text = JSON.stringify(page);
        expect(readBack(names.reader(encode(text, textColumns)))).toEqual(JSON.parse(text));
      }
    }), { numRuns: 300 });
  });

  it('reads a "__proto__" member as an own member, as JSON.parse does (fast-check found it)', () => {
    const text = '[[[[{"__proto__":{"a":1}}]],[]],[]]';
    const read = readBack(new TapeNames().reader(createTapeEncoder()(text, [])));
    expect(read).toEqual(JSON.parse(text));
    const inner = (read[0][0] as unknown[][])[0][0] as object;
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(Object.keys(inner)).toEqual(['__proto__']);
  });

  it('numbers each name once, texts never', () => {
    const encode = createTapeEncoder();
    const first = encode('[["a","b",["t"]],["b","a",["t"]]]', [2]);
    const second = encode('[["a","c",["t"]]]', [2]);
    expect(first.names).toEqual(['a', 'b']);
    expect(first.texts).toEqual(['t', 't']);
    expect(second.names).toEqual(['c']);
    const names = new TapeNames();
    names.reader(first);
    const tape = names.reader(second);
    tape.at = tape.rows[0];
    tape.array();
    expect([tape.name(), tape.name()]).toEqual([0, 2]);
  });

  it('keeps what JSON.parse keeps of numbers and strings', () => {
    const text = '[-0,0.1,1e21,9007199254740993,-12,"\\u00e9\\"\\\\",""]';
    const tape = tapeOf(text);
    expect(tape.value()).toEqual(JSON.parse(text));
    expect(Object.is(tapeOf('-0').value(), -0)).toBe(true);
  });

  it('refuses what it cannot read', () => {
    for (const bad of ['[1,]x', '[tru]', '[1', '["a]', '["a\\"]', '[-]']) expect(() => tapeOf(bad).value(), bad).toThrow(/json tape/);
  });
});
