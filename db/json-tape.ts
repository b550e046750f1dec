/**
 * JSON values as a tape: one tag and one number per value, in document order, in two typed arrays.
 * A scan of the decision log hands its rows from a reading thread to the replay this way
 * (db/native-reader.ts): JSON.parse'ing every row on the replay's own thread took a quarter of a
 * backtest, and objects can't cross threads without being serialized and parsed again, but typed
 * arrays are handed over without a copy. The reading thread encodes; the replay reads values
 * straight off the tape, building only the objects it keeps.
 *
 * Strings are numbered as first met ("names": account ids, kinds, reasons, …) and each crosses once:
 * a tape carries the names it added, and the reader appends them to its table, so a name read off
 * the tape is the same string every time, and its number can key typed arrays (a replay numbers
 * accounts by it). Strings that rarely repeat (fingerprints, conversation ids) would only grow that
 * table: the columns holding them are named when encoding, and their strings travel with their
 * tape ("texts").
 */

/** A value's tag; its number on the tape is the value, the name's or text's index, or the array's or object's length. */
const numberTag = 0;
const falseTag = 1;
const trueTag = 2;
const nullTag = 3;
const nameTag = 4;
const textTag = 5;
const arrayTag = 6;
const objectTag = 7;

/** One encoded JSON value (a page of rows is one array) and the strings it needs besides the reader's table. */
export interface Tape {
  tags: Uint8Array;
  values: Float64Array;
  /** Strings numbered by this tape, in order: they extend the reader's names. */
  names: string[];
  /** By index: strings of the text columns. */
  texts: string[];
  /** Where each row starts on the tape, so a reader can go to the next without reading every value. */
  rows: Int32Array;
}

/**
 * Encodes JSON text holding an array of rows (each an array); strings in the row members at
 * `textColumns` are kept as texts. Any value in it may be a token array instead (valueToken below),
 * which reads as the JSON array of the same values. The text is SQLite's JSON, so it is read rather
 * than validated: what it cannot read throws, but not every malformed text does.
 */
export type TapeEncoder = (json: string, textColumns: readonly number[]) => Tape;

/**
 * The encoder's source: plain JavaScript, as it also runs in the reading thread (evaluated there, so it
 * needs no TypeScript loader). `createTapeEncoder()` returns an encoder that numbers names across
 * all the tapes it makes; their reader must read every one of them, in order.
 *
 * It reads the text itself rather than walking what JSON.parse makes of it: that built every value
 * only to be taken apart again, which cost twice the parse. Names are found in a table of their own
 * (open addressing by a hash of their characters, in a typed array), read straight off the text: a
 * Map wanted a string cut out of the text for every look-up. A look-up still misses the caches once
 * the table holds every account, so a name is first compared with the names met at the same place
 * of earlier rows and with the last ones looked up: most rows then need the table for their sender
 * and recipient only.
 */
export const tapeEncoderSource = String.raw`
function createTapeEncoder() {
  // Per slot: a name's hash and its number + 1 (0: a free slot); at most half the slots are taken.
  let slots = new Int32Array(2 * 4096);
  // The names by number; their own strings, never slices of a page (which would keep the page alive).
  const byNumber = [];
  // By place in a row (below): the numbers of the last two names met there, -1 for none.
  const places = 256;
  const placeNumbers = new Int32Array(2 * places).fill(-1);
  // The last two names looked up in the table, -1 for none.
  let recent = -1;
  let earlier = -1;
  const spells = (text, from, to, s) => {
    if (s.length !== to - from) return false;
    for (let k = 0; k < s.length; k++) if (text.charCodeAt(from + k) !== s.charCodeAt(k)) return false;
    return true;
  };
  const insert = (hash, number) => {
    const mask = (slots.length >> 1) - 1;
    let at = hash & mask;
    while (slots[2 * at + 1] !== 0) at = (at + 1) & mask;
    slots[2 * at] = hash;
    slots[2 * at + 1] = number + 1;
  };
  // The number of the name text[from, to) spells; a new name's string is made by copy().
  const hashOf = (text, from, to) => {
    let hash = to - from;
    for (let k = from; k < to; k++) hash = (Math.imul(hash, 31) + text.charCodeAt(k)) | 0;
    return hash ^ (hash >>> 15);
  };
  const numberOf = (text, from, to, copy) => {
    const hash = hashOf(text, from, to);
    const mask = (slots.length >> 1) - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const number = slots[2 * at + 1] - 1;
      if (number < 0) break;
      if (slots[2 * at] === hash && spells(text, from, to, byNumber[number])) return number;
    }
    const number = byNumber.length;
    byNumber.push(copy(text, from, to));
    if (2 * byNumber.length > slots.length >> 1) {
      slots = new Int32Array(2 * slots.length);
      for (let k = 0; k < byNumber.length - 1; k++) insert(hashOf(byNumber[k], 0, byNumber[k].length), k);
    }
    insert(hash, number);
    return number;
  };
  const quoted = (json, from, to) => JSON.parse(json.slice(from - 1, to + 1));
  // A string of its own (a slice of a long page would keep the page alive).
  const copied = (json, from, to) => JSON.parse(JSON.stringify(json.slice(from, to)));
  const whole = (s) => s;
  const fail = (json, at) => { throw new Error('json tape: unexpected ' + JSON.stringify(json.slice(at, at + 16)) + ' at ' + at); };
  return function encode(json, textColumns) {
    let tags = new Uint8Array(64 + (json.length >> 2));
    let values = new Float64Array(tags.length);
    let n = 0;
    const names = [];
    const texts = [];
    const maxDepth = 64;
    const isText = new Uint8Array(maxDepth);
    for (const c of textColumns) isText[c] = 1;
    const open = new Int32Array(maxDepth); // by depth: where the array or object being read is on the tape
    const counts = new Int32Array(maxDepth); // and how many values it has so far
    let depth = 0;
    let rowMember = -1;
    let rows = new Int32Array(1024);
    let rowCount = 0;
    let backslash = json.indexOf('\\');
    // The depth a token array (below) was met at, -1 outside one.
    let tokens = -1;
    let i = 0;
    const length = json.length;
    while (i < length) {
      const c = json.charCodeAt(i);
      if (c === 44 || c === 58 || c === 32 || c === 10 || c === 13 || c === 9) { i++; continue; } // , : and blanks
      if (c === 93 || c === 125) { // ] }
        if (depth === 0) fail(json, i);
        const at = open[--depth];
        values[at] = tags[at] === ${objectTag} ? counts[depth] / 2 : counts[depth];
        if (depth === tokens) tokens = -1;
        i++;
        continue;
      }
      if (c === 126) { // ~ and an array of tokens
        if (tokens >= 0 || json.charCodeAt(i + 1) !== 91) fail(json, i);
        tokens = depth;
        i++;
        continue;
      }
      if (n === tags.length) {
        const moreTags = new Uint8Array(tags.length * 2); moreTags.set(tags); tags = moreTags;
        const moreValues = new Float64Array(values.length * 2); moreValues.set(values); values = moreValues;
      }
      if (depth > 0) counts[depth - 1]++;
      if (depth === 2) rowMember++;
      if (c === 91 || c === 123) { // [ {
        if (depth === maxDepth) fail(json, i);
        if (depth === 1) {
          rowMember = -1;
          if (rowCount === rows.length) { const moreRows = new Int32Array(rows.length * 2); moreRows.set(rows); rows = moreRows; }
          rows[rowCount++] = n;
        }
        tags[n] = c === 91 ? ${arrayTag} : ${objectTag};
        open[depth] = n++;
        counts[depth++] = 0;
        i++;
        continue;
      }
      // A string: JSON's, or a token's (its length, ':', its characters as they are).
      let from = -1;
      let to = -1;
      let escaped = false;
      if (c === 34) { // "
        from = i + 1;
        to = json.indexOf('"', from);
        if (backslash !== -1 && backslash < to) {
          escaped = true;
          for (to = from; to < length; to++) { const d = json.charCodeAt(to); if (d === 34) break; if (d === 92) to++; }
          backslash = json.indexOf('\\', to);
        }
        if (to === -1 || to >= length) fail(json, i);
        i = to + 1;
      } else if (tokens >= 0) {
        if (c === 39) { // '
          let k = i + 1;
          let characters = 0;
          for (let d = json.charCodeAt(k); d !== 58; d = json.charCodeAt(++k)) {
            if (!(d >= 48 && d <= 57)) fail(json, i);
            characters = characters * 10 + (d - 48);
          }
          from = k + 1;
          to = from + characters;
          if (k === i + 1 || to > length) fail(json, i);
          i = to;
        }
        else if (c === 116) { tags[n++] = ${trueTag}; i++; continue; } // t
        else if (c === 102) { tags[n++] = ${falseTag}; i++; continue; } // f
        else if (c === 110) { tags[n++] = ${nullTag}; i++; continue; } // n
        // else a number, read as JSON's
      }
      if (from >= 0) {
        if (depth >= 2 && isText[rowMember] === 1) {
          tags[n] = ${textTag};
          values[n++] = texts.push(escaped ? quoted(json, from, to) : json.slice(from, to)) - 1;
          continue;
        }
        // One of the last two names met at the same place of earlier rows, most often (a kind, a
        // decision, a reason…), else one of the last two looked up (a row names its accounts in
        // several places), else the table's.
        const place = 2 * ((rowMember * 131 + depth * 31 + counts[depth - 1]) & (places - 1));
        let number = placeNumbers[place];
        if (escaped || number < 0 || !spells(json, from, to, byNumber[number])) {
          const other = placeNumbers[place + 1];
          if (!escaped && other >= 0 && spells(json, from, to, byNumber[other])) number = other;
          else if (!escaped && recent >= 0 && spells(json, from, to, byNumber[recent])) number = recent;
          else if (!escaped && earlier >= 0 && spells(json, from, to, byNumber[earlier])) number = earlier;
          else {
            const before = byNumber.length;
            const unescaped = escaped ? quoted(json, from, to) : null;
            number = unescaped === null ? numberOf(json, from, to, c === 34 ? quoted : copied) : numberOf(unescaped, 0, unescaped.length, whole);
            if (byNumber.length > before) names.push(byNumber[number]);
            earlier = recent;
            recent = number;
          }
          placeNumbers[place + 1] = placeNumbers[place];
          placeNumbers[place] = number;
        }
        tags[n] = ${nameTag};
        values[n++] = number;
        continue;
      }
      // true, false, null (their last letter checked: a misread must not go unnoticed)
      if (c === 116) { if (json.charCodeAt(i + 3) !== 101) fail(json, i); tags[n++] = ${trueTag}; i += 4; continue; }
      if (c === 102) { if (json.charCodeAt(i + 4) !== 101) fail(json, i); tags[n++] = ${falseTag}; i += 5; continue; }
      if (c === 110) { if (json.charCodeAt(i + 3) !== 108) fail(json, i); tags[n++] = ${nullTag}; i += 4; continue; }
      // A number: a plain integer summed here (exact up to 2^53), any other as Number() reads it, as JSON.parse would.
      let end = c === 45 ? i + 1 : i;
      let sum = 0;
      let plain = true;
      for (; end < length; end++) {
        const d = json.charCodeAt(end);
        if (d >= 48 && d <= 57) sum = sum * 10 + (d - 48);
        else if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) plain = false;
        else break;
      }
      if (end === (c === 45 ? i + 1 : i)) fail(json, i); // no digit
      const number = plain && sum <= Number.MAX_SAFE_INTEGER ? (c === 45 ? -sum : sum) : Number(json.slice(i, end));
      if (Number.isNaN(number)) fail(json, i);
      tags[n] = ${numberTag};
      values[n++] = number;
      i = end;
      if (tokens >= 0) { // a token's ends at its ';'
        if (json.charCodeAt(i) !== 59) fail(json, i);
        i++;
      }
    }
    if (depth !== 0) fail(json, length);
    return { tags: tags.subarray(0, n), values: values.subarray(0, n), names, texts, rows: rows.subarray(0, rowCount) };
  };
}
`;

/**
 * The token of a value, for the token arrays a tape reads besides JSON: `~[` opens one, and inside
 * it `t`, `f` and `n` are true, false and null, a number is followed by `;`, a string is `'`, its
 * length, `:` and its characters as they are, and arrays nest as `[…]` with nothing between members.
 * What is neither boolean, finite number nor string is null (as JSON writes undefined or NaN). The
 * decision log's facts are written so (server/decisions/logged-facts.ts): half the characters of
 * their JSON, a flag one character, no escapes and no separators to read past.
 */
export function valueToken(value: unknown): string {
  if (value === true) return 't';
  if (value === false) return 'f';
  if (typeof value === 'number') return Number.isFinite(value) ? `${value};` : 'n';
  if (typeof value === 'string') return `'${value.length}:${value}`;
  return 'n';
}

/** An encoder in this thread (as the reading thread runs it), for rows read some other way. */
export const createTapeEncoder = new Function(`${tapeEncoderSource}; return createTapeEncoder;`)() as () => TapeEncoder;

const jsonTypes = ['number', 'boolean', 'boolean', 'null', 'string', 'string', 'array', 'object'] as const;

/** A tape of one JSON text, read from its start. */
export function tapeOf(json: string): TapeReader {
  const tape = new TapeNames().reader(createTapeEncoder()(`[[${json}]]`, []));
  tape.array();
  tape.array();
  return tape;
}

/** The names of the tapes from one encoder: each tape is read through here, in the order they were encoded. */
export class TapeNames {
  private readonly names: string[] = [];

  reader(tape: Tape): TapeReader {
    for (const name of tape.names) this.names.push(name);
    return new TapeReader(tape, this.names);
  }
}

/** Reads one tape, value by value, from a cursor (`at`) that may be set anywhere a value starts. */
export class TapeReader {
  at = 0;
  private readonly tags: Uint8Array;
  private readonly values: Float64Array;
  private readonly texts: string[];
  /** Where each row starts (Tape.rows). */
  readonly rows: Int32Array;

  /** `names`: the table of every tape of its encoder up to this one. */
  constructor(tape: Tape, private readonly names: readonly string[]) {
    this.tags = tape.tags;
    this.values = tape.values;
    this.texts = tape.texts;
    this.rows = tape.rows;
  }

  /**
   * The number of the next value, which must be a name: the same for the same string on every tape
   * of the encoder (names are numbered 0, 1, 2… as first met), so it can key typed arrays.
   */
  name(): number {
    if (this.tags[this.at] !== nameTag) throw new Error(`json tape: a name expected at ${this.at}`);
    return this.values[this.at++];
  }

  /** The string a name's number stands for. */
  nameOf(name: number): string {
    return this.names[name];
  }

  /** The JSON type of the next value. */
  peek(): 'number' | 'boolean' | 'null' | 'string' | 'array' | 'object' {
    return jsonTypes[this.tags[this.at]];
  }

  /** The next value, which must be a number, string, boolean or null. */
  primitive(): unknown {
    const value = this.values[this.at];
    switch (this.tags[this.at++]) {
      case numberTag: return value;
      case falseTag: return false;
      case trueTag: return true;
      case nullTag: return null;
      case nameTag: return this.names[value];
      case textTag: return this.texts[value];
      default: throw new Error(`json tape: a primitive expected at ${this.at - 1}`);
    }
  }

  number(): number {
    return this.primitive() as number;
  }

  /** A string, or null. */
  string(): string | null {
    return this.primitive() as string | null;
  }

  /** Enters the next value, which must be an array: its length (its members follow). */
  array(): number {
    if (this.tags[this.at] !== arrayTag) throw new Error(`json tape: an array expected at ${this.at}`);
    return this.values[this.at++];
  }

  /** The next value, whatever it is, as JSON.parse would give it. */
  value(): unknown {
    const tag = this.tags[this.at];
    if (tag !== arrayTag && tag !== objectTag) return this.primitive();
    const length = this.values[this.at++];
    if (tag === arrayTag) {
      const array: unknown[] = [];
      for (let i = 0; i < length; i++) array.push(this.value());
      return array;
    }
    const object: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const key = this.string()!;
      // JSON.parse makes "__proto__" an own member; assigning it would set the object's prototype instead.
      if (key === '__proto__') Object.defineProperty(object, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      else object[key] = this.value();
    }
    return object;
  }
}
