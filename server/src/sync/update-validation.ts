import * as Y from 'yjs';
import { CLOSE_CODES } from '../../../shared/close-codes.js';
import { DOC_ROOTS } from '../../../shared/document-schema.js';
import { parseRunRecord } from '../../../shared/run-record.js';
import { deferUntilDependencies, type Outcome, refuse } from './peer.js';

/**
 * Decides, before anything is applied, whether a client update may enter a session's document:
 *
 * - it decodes completely (a malformed tail would otherwise be found only after its head was applied);
 * - it touches only the schema: strings without carriage returns in the `code` text, primitive values under keys of the flat `meta`
 *   map, well-formed run records (`shared/run-record.ts`) in the `runs` array; no other root, no nested shared types, no embeds,
 *   formats, binaries or sub-documents;
 * - it can be integrated now: every item it builds on is in the document or in the update itself, and its
 *   deletions name known content. Yjs would keep such an update as "pending" inside the document, retried
 *   on every later edit and shipped to every newcomer; instead it is handed back as deferrable, and the
 *   connection holds it (bounded in bytes and time) until the content it needs has arrived.
 */
type Root = (typeof DOC_ROOTS)[keyof typeof DOC_ROOTS];
/** `discarded`: the item hangs off garbage-collected content and Yjs drops it on integration. */
type Placement = Root | 'discarded';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;
/** Placement of an item whose neighbour the server does not have (yet). */
const MISSING = 'missing neighbour';

const ROOT_NAMES: ReadonlySet<string> = new Set(Object.values(DOC_ROOTS));
/** Nesting allowed inside one run record (record → output array → chunk → value). */
const MAX_JSON_DEPTH = 8;

interface Lookup {
  readonly doc: Y.Doc;
  readonly rootOfType: ReadonlyMap<unknown, Root>;
  /** The update's own items per client, in clock order. */
  readonly own: ReadonlyMap<number, Y.Item[]>;
  readonly placements: Map<Y.Item, Placement | string>;
}

/**
 * An accepted update; `onlyNewItems` when it carries at least one item and every struct in it is new to the
 * document (nothing already known, no skips): applying it adds exactly its own bytes' worth of content, so
 * those bytes can be relayed and stored as they came instead of Yjs encoding the transaction again.
 */
export type Validation =
  | { readonly ok: true; readonly onlyNewItems: boolean }
  | Extract<Outcome, { readonly ok: false }>;

const VALID_WITH_KNOWN: Validation = Object.freeze({ ok: true, onlyNewItems: false });
const VALID_ONLY_NEW: Validation = Object.freeze({ ok: true, onlyNewItems: true });

export function validateUpdate(
  doc: Y.Doc,
  rootOfType: ReadonlyMap<unknown, Root>,
  update: Uint8Array,
  /** The configured cap of one run's output; run records above it are refused. */
  maxRunOutputBytes: number,
): Validation {
  let decoded: DecodedUpdate;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    return refused(
      CLOSE_CODES.INVALID_UPDATE,
      `undecodable update: ${error instanceof Error ? error.message : error}`,
    );
  }
  const gap = findGap(doc, decoded.structs, decoded.ds);
  if (gap !== null) return deferUntilDependencies(gap) as Validation;
  const onlyNewItems = carriesOnlyNewStructs(doc, decoded.structs);

  const own = new Map<number, Y.Item[]>();
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const list = own.get(struct.id.client);
    if (list) list.push(struct);
    else own.set(struct.id.client, [struct]);
  }
  const lookup: Lookup = { doc, rootOfType, own, placements: new Map() };
  for (const items of own.values()) {
    for (const item of items) {
      if (item.id.clock + item.length <= Y.getState(doc.store, item.id.client)) continue; // already known
      const placement = place(lookup, item);
      if (placement === 'discarded') continue;
      if (placement === MISSING)
        return deferUntilDependencies('update builds on content the server does not have') as Validation;
      if (!ROOT_NAMES.has(placement)) return refused(CLOSE_CODES.SCHEMA_VIOLATION, placement);
      const problem = checkContent(placement as Root, item, maxRunOutputBytes);
      if (problem !== null) return refused(CLOSE_CODES.SCHEMA_VIOLATION, problem);
    }
  }
  return onlyNewItems ? VALID_ONLY_NEW : VALID_WITH_KNOWN;
}

/** At least one struct, none a skip, and each one starting where the document (or the update) has nothing. */
function carriesOnlyNewStructs(doc: Y.Doc, structs: DecodedUpdate['structs']): boolean {
  if (structs.length === 0) return false;
  for (const struct of structs) {
    if (struct instanceof Y.Skip) return false;
    if (struct.id.clock < Y.getState(doc.store, struct.id.client)) return false;
  }
  return true;
}

function refused(code: number, reason: string): Validation {
  return refuse(code, reason) as Validation;
}

/** Every struct must continue what the document or the update already has, and deletions name known clocks. */
function findGap(doc: Y.Doc, structs: DecodedUpdate['structs'], ds: DecodedUpdate['ds']): string | null {
  const known = new Map<number, number>();
  const knownEnd = (client: number): number => known.get(client) ?? Y.getState(doc.store, client);
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    const end = knownEnd(client);
    if (clock > end) return 'update depends on content the server does not have';
    known.set(client, Math.max(end, clock + struct.length));
  }
  for (const [client, deletions] of ds.clients) {
    const end = knownEnd(client);
    for (const deletion of deletions) {
      if (deletion.clock + deletion.len > end) return 'update deletes content the server does not have';
    }
  }
  return null;
}

/**
 * Which root an item lands in. Items carry their parent only when they have no neighbours; otherwise they
 * inherit it from the item they were inserted after (or before), which may sit in the document or earlier
 * in the same update. Chains are followed iteratively: an update may hold a long run of typed characters.
 * A string result is a refusal reason.
 */
function place(lookup: Lookup, start: Y.Item): Placement | string {
  const chain = new Set<Y.Item>();
  let item: Y.Item = start;
  let placement: Placement | string | undefined = lookup.placements.get(item);
  while (placement === undefined) {
    chain.add(item);
    const step = directPlacement(lookup, item);
    if (!(step instanceof Y.Item)) placement = step;
    else if (chain.has(step)) placement = 'items refer to each other in a cycle';
    else {
      item = step;
      placement = lookup.placements.get(item);
    }
  }
  for (const visited of chain) lookup.placements.set(visited, placement);
  return placement;
}

/** The item's root if it can be told without following neighbours, else the neighbour to follow. */
function directPlacement(lookup: Lookup, item: Y.Item): Placement | string | Y.Item {
  const parent: unknown = item.parent;
  if (typeof parent === 'string') {
    if (!ROOT_NAMES.has(parent)) return 'update creates a root type outside the schema';
    return parent as Root;
  }
  if (parent instanceof Y.ID) return 'update nests a shared type';
  const neighbours = [item.origin, item.rightOrigin].filter((id): id is Y.ID => id !== null);
  if (neighbours.length === 0) return 'item has neither a parent nor neighbours';
  const placements: Array<Placement | string | Y.Item> = neighbours.map((id) =>
    neighbourPlacement(lookup, id),
  );
  // Yjs takes the parent from the left neighbour; a right neighbour under another parent would corrupt lists.
  const [left, right] = placements;
  if (right !== undefined && !(left instanceof Y.Item) && !(right instanceof Y.Item) && left !== right) {
    if (left !== 'discarded' && right !== 'discarded') return 'item sits between two different types';
  }
  return left ?? 'item has neither a parent nor neighbours';
}

function neighbourPlacement(lookup: Lookup, id: Y.ID): Placement | string | Y.Item {
  const inUpdate = findOwn(lookup.own.get(id.client), id.clock);
  if (id.clock < Y.getState(lookup.doc.store, id.client)) {
    const struct = Y.getItem(lookup.doc.store, id) as Y.Item | Y.GC;
    if (!(struct instanceof Y.Item)) return 'discarded';
    const root = lookup.rootOfType.get(struct.parent);
    return root ?? 'item refers to content outside the schema';
  }
  if (inUpdate !== undefined) return inUpdate;
  return MISSING;
}

function findOwn(items: Y.Item[] | undefined, clock: number): Y.Item | undefined {
  if (items === undefined) return undefined;
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const item = items[middle]!;
    if (clock < item.id.clock) high = middle - 1;
    else if (clock >= item.id.clock + item.length) low = middle + 1;
    else return item;
  }
  return undefined;
}

function checkContent(root: Root, item: Y.Item, maxRunOutputBytes: number): string | null {
  const content = item.content;
  if (content instanceof Y.ContentDeleted) return null;
  // `parentSub` is only transmitted with an explicit parent; inherited items share their neighbour's.
  const explicit = typeof item.parent === 'string';
  switch (root) {
    case DOC_ROOTS.CODE:
      if (explicit && item.parentSub !== null) return 'code holds keyed entries';
      if (!(content instanceof Y.ContentString)) return `code holds ${content.constructor.name}`;
      // Editors keep LF line endings; a carriage return would shift every later offset between peers.
      return content.str.includes('\r') ? 'code holds a carriage return' : null;
    case DOC_ROOTS.META:
      if (explicit && item.parentSub === null) return 'meta holds list entries';
      if (!(content instanceof Y.ContentAny)) return `meta holds ${content.constructor.name}`;
      return content.arr.every(isPrimitive) ? null : 'meta holds a non-primitive value';
    case DOC_ROOTS.RUNS:
      if (explicit && item.parentSub !== null) return 'runs holds keyed entries';
      if (!(content instanceof Y.ContentAny)) return `runs holds ${content.constructor.name}`;
      if (!content.arr.every((value) => isPlainObject(value) && isJson(value, 1)))
        return 'runs holds a non-object';
      // The exact run shape peers render, its output within the cap the pads are told to keep.
      return content.arr.every((value) => parseRunRecord(value, maxRunOutputBytes) !== null)
        ? null
        : 'runs holds a malformed run';
  }
  return 'unknown root';
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function isJson(value: unknown, depth: number): boolean {
  if (isPrimitive(value)) return true;
  if (depth > MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) return value.every((element) => isJson(element, depth + 1));
  if (isPlainObject(value)) return Object.values(value).every((element) => isJson(element, depth + 1));
  return false;
}
