// What a watch remembers of each meeting: its key and one 32-bit hash per top-level field present, so that its
// memory follows what the list holds now, whatever field names a server invents.
//
// Meetings whose fields have the same names in the same order share a shape: the names, held once, and a table of
// hash rows (a row a meeting, a hash a field). A meeting with names of its own costs a shape of its own; a shape no
// meeting uses any more is dropped, so the names of ended meetings are not kept.
import type { ConferenceInfo } from './types.js';
import { FNV_OFFSET, hashValue, mixText } from './value-hash.js';

/** Where the watch's tests look for it. */
export { hashValue } from './value-hash.js';

/** The names of a shape, and the hash rows of the meetings that have it. */
interface Shape {
  readonly names: readonly string[];
  readonly id: number;
  table: Uint32Array;
  rows: number;
  free: number[] | undefined; // rows given back, made when the first is
  live: number;
  next: Shape | undefined; // the next shape whose names hash alike
}

/** A meeting a walk found new or changed: held until the poll ends, then reported and written with `write`. */
export interface Found {
  key: string;
  meeting: ConferenceInfo;
  names: readonly string[];
  hashes: Uint32Array;
  slot?: number;
  changedFields?: string[];
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function namesId(names: readonly string[]): number {
  let h = FNV_OFFSET;
  for (const name of names) h = mixText(h, name);
  return h >>> 0;
}

/**
 * Per meeting: a slot (a number, from a Map by key) that tells its shape, its row there, the number of the last
 * walk that saw it and, when asked, the meeting itself. Slots and rows freed by ended meetings are reused.
 */
export class WatchState {
  readonly slots = new Map<string, number>();
  readonly #shapes = new Map<number, Shape>(); // by the hash of their names, then along `next`
  #shapeOf: (Shape | undefined)[] = [];
  #rowOf = new Uint32Array(0);
  #seenIn = new Uint32Array(0);
  readonly #meetings: (ConferenceInfo | undefined)[] = [];
  readonly #freeSlots: number[] = [];
  #usedSlots = 0;
  #lastShape: Shape | undefined; // the shape a new meeting most likely has: the last one written
  #lastNewNames: readonly string[] | undefined; // the names of the last new meeting seen, before any is written
  #scratch = new Uint32Array(64);

  constructor(readonly ignored: ReadonlySet<string>) {}

  /**
   * Compares a meeting a walk received with what is known of it: undefined when known and unchanged, else what to
   * write when the poll ends. Marks a known meeting seen by `walk`; changes nothing else.
   */
  see(key: string, meeting: ConferenceInfo, walk: number): Found | undefined {
    const record = meeting as Record<string, unknown>;
    let names: readonly string[] = Object.keys(meeting).filter(
      (name) => record[name] !== undefined && !this.ignored.has(name),
    );
    if (this.#scratch.length < names.length) this.#scratch = new Uint32Array(names.length * 2);
    const hashes = this.#scratch.subarray(0, names.length);
    for (let i = 0; i < names.length; i++) hashes[i] = hashValue(record[names[i]!]);
    const slot = this.slots.get(key);
    if (slot === undefined) {
      // New meetings mostly have the names of the one before: one list for all of them, not one each.
      const like = this.#lastShape?.names ?? this.#lastNewNames;
      if (like && sameNames(like, names)) names = like;
      else this.#lastNewNames = names;
      return { key, meeting, names, hashes: hashes.slice() };
    }
    this.#seenIn[slot] = walk;
    const shape = this.#shapeOf[slot]!;
    const changedFields = this.#changedFields(shape, this.#rowOf[slot]!, names, hashes);
    if (changedFields.length === 0) return undefined;
    if (sameNames(shape.names, names)) names = shape.names;
    return { key, meeting, names, hashes: hashes.slice(), slot, changedFields };
  }

  /** The fields whose values differ between the row and the meeting read: changed, added or gone. */
  #changedFields(shape: Shape, row: number, names: readonly string[], hashes: Uint32Array): string[] {
    const base = row * shape.names.length;
    const changed: string[] = [];
    if (sameNames(shape.names, names)) {
      for (let i = 0; i < names.length; i++) if (shape.table[base + i] !== hashes[i]) changed.push(names[i]!);
      return changed;
    }
    const before = new Map(shape.names.map((name, i) => [name, shape.table[base + i]!]));
    for (let i = 0; i < names.length; i++) {
      if (before.get(names[i]!) !== hashes[i]) changed.push(names[i]!);
      before.delete(names[i]!);
    }
    changed.push(...before.keys());
    return changed;
  }

  seenIn(slot: number): number {
    return this.#seenIn[slot]!;
  }

  /** The meeting as last written, when the watch keeps meetings. */
  meeting(slot: number): ConferenceInfo | undefined {
    return this.#meetings[slot];
  }

  /** Writes what a walk found (a new meeting gets a slot), seen by `walk`; `kept` when the watch keeps meetings. */
  write(found: Found, walk: number, kept: ConferenceInfo | undefined): void {
    let slot = this.slots.get(found.key);
    if (slot === undefined) {
      slot = this.#freeSlots.pop() ?? this.#usedSlots++;
      if (slot >= this.#seenIn.length) this.#growSlots();
      this.slots.set(found.key, slot);
    }
    const shape = this.#shape(found.names);
    if (this.#shapeOf[slot] !== shape) {
      const before = this.#shapeOf[slot];
      if (before) this.#release(before, this.#rowOf[slot]!);
      this.#shapeOf[slot] = shape;
      this.#rowOf[slot] = this.#claim(shape);
    }
    shape.table.set(found.hashes, this.#rowOf[slot]! * shape.names.length);
    this.#seenIn[slot] = walk;
    if (kept !== undefined || this.#meetings[slot] !== undefined) this.#meetings[slot] = kept;
    this.#lastShape = shape;
    this.#lastNewNames = undefined;
  }

  /** Forgets a meeting; returns it when it was kept. */
  remove(key: string): ConferenceInfo | undefined {
    const slot = this.slots.get(key)!;
    const meeting = this.#meetings[slot];
    this.slots.delete(key);
    if (meeting !== undefined) this.#meetings[slot] = undefined;
    this.#release(this.#shapeOf[slot]!, this.#rowOf[slot]!);
    this.#shapeOf[slot] = undefined;
    this.#freeSlots.push(slot);
    return meeting;
  }

  /** What the state holds, for tests and the bench: hashes (rows allocated), shapes and the names they hold. */
  held(): { meetings: number; hashes: number; shapes: number; names: number } {
    let hashes = 0;
    let shapes = 0;
    let names = 0;
    for (let shape of this.#shapes.values()) {
      for (; shape; shape = shape.next!) {
        shapes++;
        names += shape.names.length;
        hashes += shape.table.length;
      }
    }
    return { meetings: this.slots.size, hashes, shapes, names };
  }

  #shape(names: readonly string[]): Shape {
    if (this.#lastShape?.names === names) return this.#lastShape;
    const id = namesId(names);
    const first = this.#shapes.get(id);
    for (let known = first; known; known = known.next) if (sameNames(known.names, names)) return known;
    const shape: Shape = {
      names,
      id,
      table: new Uint32Array(names.length),
      rows: 0,
      free: undefined,
      live: 0,
      next: first,
    };
    this.#shapes.set(id, shape);
    return shape;
  }

  #claim(shape: Shape): number {
    shape.live++;
    const free = shape.free?.pop();
    if (free !== undefined) return free;
    const row = shape.rows++;
    const stride = shape.names.length;
    if ((row + 1) * stride > shape.table.length) {
      const wider = new Uint32Array(Math.ceil(shape.rows * 1.5) * stride);
      wider.set(shape.table);
      shape.table = wider;
    }
    return row;
  }

  #release(shape: Shape, row: number): void {
    if (--shape.live > 0) {
      if (shape.free) shape.free.push(row);
      else shape.free = [row];
      return;
    }
    // No meeting has this shape any more: its names and rows go (a shape seen again starts afresh).
    const first = this.#shapes.get(shape.id)!;
    if (first === shape) {
      if (shape.next) this.#shapes.set(shape.id, shape.next);
      else this.#shapes.delete(shape.id);
    } else {
      let before = first;
      while (before.next !== shape) before = before.next!;
      before.next = shape.next;
    }
    if (this.#lastShape === shape) this.#lastShape = undefined;
  }

  #growSlots(): void {
    const capacity = Math.max(64, Math.ceil(this.#seenIn.length * 1.5));
    const rowOf = new Uint32Array(capacity);
    rowOf.set(this.#rowOf);
    this.#rowOf = rowOf;
    const seenIn = new Uint32Array(capacity);
    seenIn.set(this.#seenIn);
    this.#seenIn = seenIn;
  }
}
