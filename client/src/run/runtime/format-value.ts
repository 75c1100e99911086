/**
 * Formats values the way a browser console prints them: top-level strings as they are, nested strings
 * quoted, objects and arrays expanded (`{a: [1, 2]}`), class instances prefixed with their class name, and
 * cycles and excessive depth abbreviated. Runs in the sandbox worker on people's values, so it never
 * trusts them: getters are not invoked and anything that throws while being inspected prints as a note.
 */

export interface FormatOptions {
  /** How an Error prints at the top level (the runtime rewrites its stack to editor line numbers). */
  formatError?: (error: Error) => string;
}

const MAX_DEPTH = 4;
const MAX_ITEMS = 100;
const MAX_STRING_CHARS = 10_000;

function quote(text: string): string {
  const clipped = text.length > MAX_STRING_CHARS ? `${text.slice(0, MAX_STRING_CHARS)}…` : text;
  return `'${clipped.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

function formatKey(key: string | symbol): string {
  if (typeof key === 'symbol') return `[${String(key)}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

function constructorName(value: object): string | null {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null) return null;
    const ctor: unknown = (proto as { constructor?: unknown }).constructor;
    return typeof ctor === 'function' && ctor.name ? ctor.name : null;
  } catch {
    return null;
  }
}

function formatPrimitive(value: unknown, nested: boolean): string | null {
  switch (typeof value) {
    case 'string':
      return nested ? quote(value) : value;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'undefined':
    case 'symbol':
      return String(value);
    case 'function': {
      const source = Function.prototype.toString.call(value);
      if (source.startsWith('class')) return `class ${value.name || '(anonymous)'}`;
      return `ƒ ${value.name || '(anonymous)'}()`;
    }
    default:
      return value === null ? 'null' : null;
  }
}

function ownEntries(value: object, seen: Set<object>, depth: number): string[] {
  const parts: string[] = [];
  const keys = Reflect.ownKeys(value);
  for (const key of keys.slice(0, MAX_ITEMS)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor === undefined || (!descriptor.enumerable && typeof key !== 'symbol')) continue;
    const shown =
      'value' in descriptor
        ? formatNested(descriptor.value, seen, depth + 1)
        : descriptor.set
          ? '[Getter/Setter]'
          : '[Getter]';
    parts.push(`${formatKey(key)}: ${shown}`);
  }
  if (keys.length > MAX_ITEMS) parts.push(`… ${keys.length - MAX_ITEMS} more`);
  return parts;
}

function formatArray(value: unknown[], seen: Set<object>, depth: number): string {
  const parts: string[] = [];
  const shown = Math.min(value.length, MAX_ITEMS);
  for (let index = 0; index < shown; index++) {
    parts.push(index in value ? formatNested(value[index], seen, depth + 1) : 'empty');
  }
  if (value.length > MAX_ITEMS) parts.push(`… ${value.length - MAX_ITEMS} more`);
  return `[${parts.join(', ')}]`;
}

function formatObject(value: object, seen: Set<object>, depth: number): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return String(value);
  if (value instanceof Error)
    return depth === 0 ? (value.stack ?? String(value)) : `${value.name}: ${value.message}`;
  if (value instanceof Promise) return 'Promise {…}';
  if (value instanceof WeakMap || value instanceof WeakSet) return `${constructorName(value)} {…}`;
  if (seen.has(value)) return '[Circular]';
  const name = constructorName(value);
  if (depth >= MAX_DEPTH) {
    if (Array.isArray(value)) return `Array(${value.length})`;
    return name === null || name === 'Object' ? '{…}' : `${name} {…}`;
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) return formatArray(value, seen, depth);
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const items = Array.from(value as unknown as ArrayLike<number>);
      return `${name}(${items.length}) ${formatArray(items, seen, depth)}`;
    }
    if (value instanceof Map) {
      const items = [...value].slice(0, MAX_ITEMS);
      const parts = items.map(
        ([k, v]) => `${formatNested(k, seen, depth + 1)} => ${formatNested(v, seen, depth + 1)}`,
      );
      return `Map(${value.size}) {${parts.join(', ')}}`;
    }
    if (value instanceof Set) {
      const parts = [...value].slice(0, MAX_ITEMS).map((item) => formatNested(item, seen, depth + 1));
      return `Set(${value.size}) {${parts.join(', ')}}`;
    }
    const body = `{${ownEntries(value, seen, depth).join(', ')}}`;
    return name === null || name === 'Object' ? body : `${name} ${body}`;
  } finally {
    seen.delete(value);
  }
}

function formatNested(value: unknown, seen: Set<object>, depth: number): string {
  const primitive = formatPrimitive(value, true);
  if (primitive !== null) return primitive;
  try {
    return formatObject(value as object, seen, depth);
  } catch {
    return '[uninspectable]';
  }
}

/** One value as `console.log` would print it on its own. */
export function formatValue(value: unknown, options: FormatOptions = {}): string {
  if (value instanceof Error && options.formatError) return options.formatError(value);
  const primitive = formatPrimitive(value, false);
  if (primitive !== null) return primitive;
  try {
    return formatObject(value as object, new Set(), 0);
  } catch {
    return '[uninspectable]';
  }
}

/**
 * A whole `console.log(...)` call: `%s %d %i %f %o %O %c %%` substitutions in a leading string, then the
 * remaining arguments separated by spaces.
 */
export function formatConsoleArgs(args: readonly unknown[], options: FormatOptions = {}): string {
  const rest = [...args];
  let head = '';
  if (typeof rest[0] === 'string' && rest.length > 1) {
    const template = rest.shift() as string;
    head = template.replace(/%([sdifoOc%])/g, (match, spec: string) => {
      if (spec === '%') return '%';
      if (rest.length === 0) return match;
      const arg = rest.shift();
      switch (spec) {
        case 's':
          return typeof arg === 'string' ? arg : formatValue(arg, options);
        case 'd':
        case 'i':
          return typeof arg === 'symbol' ? 'NaN' : String(Math.trunc(Number(arg)));
        case 'f':
          return typeof arg === 'symbol' ? 'NaN' : String(Number(arg));
        case 'c':
          return '';
        default:
          return formatValue(arg, options);
      }
    });
  }
  const tail = rest.map((arg) => formatValue(arg, options));
  return head === '' ? tail.join(' ') : [head, ...tail].join(' ');
}
