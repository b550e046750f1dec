/**
 * The JSON tape (db/json-tape.ts) reads back exactly what JSON.parse reads, property-based: any rows
 * of JSON values, as JSON.stringify and SQLite write them (escapes, unicode, -0, exponents, numbers
 * past 2^53), each row's members in the text columns as texts, names numbered once across the tapes
 * of one encoder; and token arrays (valueToken's) read as the JSON arrays of their values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTapeEncoder, tapeOf, TapeNames, valueToken, type TapeReader } from '../../db/json-tape.ts';

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

describe('token arrays on the tape', () => {
  /** Arrays of primitives, nested: what a token array can hold. */
  const primitive = fc.oneof(fc.boolean(), fc.constant(null), fc.double(), fc.integer(), fc.string({ unit: 'binary' }));
  const { array: tokenArray } = fc.letrec((tie) => ({
    array: fc.array(fc.oneof({ depthSize: 'small' }, primitive, tie('array')), { maxLength: 6 }),
  }));
  const tokens = (value: unknown): string => (Array.isArray(value) ? `[${value.map(tokens).join('')}]` : valueToken(value));
  /** What the tape should read: JSON's view of the values (NaN and ±Infinity null, -0 as 0). */
  const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

  it('reads a token array as the JSON array of its values, among JSON members, names numbered with theirs', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.string({ unit: 'binary' }), tokenArray, json), { maxLength: 6 }), fc.boolean(), (members, asText) => {
      const encode = createTapeEncoder();
      const names = new TapeNames();
      // Each row: a JSON string, the token array, any JSON after it, and the string again (a name, the same number).
      const page = `[${members.map(([name, values, after]) => `[${JSON.stringify(name)},~${tokens(values)},${JSON.stringify(after)},${JSON.stringify(name)}]`).join(',')}]`;
      expect(readBack(names.reader(encode(page, asText ? [1] : [])))).toEqual(members.map(([name, values, after]) => [name, asJson(values), asJson(after), name]));
    }), { numRuns: 300 });
  });

  it('reads what a token array holds that JSON would escape, and numbers of every form', () => {
    const values = ['a"b\\c', "'3:x", '', 'é', -0, 0.1, 1e21, -2.5e-7, 9007199254740993, Number.NaN, -Infinity, true, false, null, [[], ['t']]];
    expect(tapeOf(`~${tokens(values)}`).value()).toEqual(asJson(values));
  });

  it('refuses a token array it cannot read', () => {
    for (const bad of ['~t', '~[t', "~['5:ab]", "~['x:ab]", '~[1]', '~[1]]', '~[1;;]', '~[x]', '[~[t]~[f]]x', '~[~[t]]']) {
      expect(() => tapeOf(bad).value(), bad).toThrow(/json tape/);
    }
  });
});
