import { nixStringProblem } from "../nix";
import { fieldPath, isRecord } from "../objects";
import type { ConfigOf, FieldSpec, Fields, Pattern, StringField, StringMapField } from "./fields";
import { matches } from "./patterns";

/** A bad value inside a node's config; `field` is relative to the config (`users[0].user`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  readonly controlChar?: boolean;
}

export interface CheckedConfig<F extends Fields> {
  /** The config with defaults filled in; a bad value is replaced by its default. */
  readonly value: ConfigOf<F>;
  readonly problems: readonly FieldProblem[];
}

// Generous for a person, small enough that a pasted 5 MB blob is refused with a message
// rather than carried into every preview.
const MAX_TEXT = 4096;
const MAX_NIX_FILE = 1_000_000;
const MAX_ITEMS = 1000;

const describe = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "string" ? "a string" : typeof v;

/** Checks a config against field declarations and resolves defaults; never throws. */
export function checkConfig<F extends Fields>(fields: F, raw: unknown): CheckedConfig<F> {
  const problems: FieldProblem[] = [];
  const value = checkRecord(fields, raw, "", problems);
  return { value: value as ConfigOf<F>, problems };
}

function checkRecord(fields: Fields, raw: unknown, at: string, out: FieldProblem[]): Record<string, unknown> {
  const given = raw === undefined ? {} : raw;
  if (!isRecord(given)) {
    out.push({ field: at, message: `expected an object, got ${describe(given)}` });
    return defaultsOf(fields);
  }
  // Every node's config passes here: plain loops, no array of entries or filtered copy per record.
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    result[key] = checkField(fields[key]!, given[key], at, key, out);
  }
  let unknown: string[] | undefined;
  for (const key of Object.keys(given)) if (!Object.hasOwn(fields, key)) (unknown ??= []).push(key);
  for (const key of unknown?.sort() ?? []) {
    out.push({
      field: fieldPath(at, key),
      message: `unknown setting; this kind has ${Object.keys(fields).join(", ")}`,
    });
  }
  return result;
}

/** What each field holds when a person has set nothing (a record: its own fields' defaults). */
export function defaultsOf(fields: Fields): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, spec]) => [k, defaultOf(spec)]));
}

export function defaultOf(spec: FieldSpec): unknown {
  return spec.type === "record" ? defaultsOf(spec.fields) : spec.default;
}

/**
 * The field `key` of the record at `parent`. Every field of every node's config passes here,
 * and nearly all are fine: the field's path (`fieldPath(parent, key)`) is made only for a
 * problem or for what the field holds, and a bad value is reported without a callback made
 * per field.
 */
function checkField(spec: FieldSpec, raw: unknown, parent: string, key: string, out: FieldProblem[]): unknown {
  if (raw === undefined) {
    if (spec.type === "string" && spec.required && spec.default === "") out.push({ field: fieldPath(parent, key), message: "required" });
    return defaultOf(spec);
  }
  switch (spec.type) {
    case "string": {
      if (typeof raw !== "string") return badValue(spec, fieldPath(parent, key), `expected a string, got ${describe(raw)}`, out);
      const problem = stringProblem(spec, raw);
      return problem ? (out.push({ field: fieldPath(parent, key), ...problem }), spec.default) : raw;
    }
    case "int": {
      if (raw === null && spec.default === null) return null;
      // The editor keeps a cleared number field as "" (what the person left there), not the default.
      if (raw === "") return badValue(spec, fieldPath(parent, key), `required: a whole number from ${spec.min} to ${spec.max}`, out);
      if (typeof raw !== "number" || !Number.isInteger(raw) || raw < spec.min || raw > spec.max) {
        return badValue(spec, fieldPath(parent, key), `expected integer ${spec.min}–${spec.max}, got ${short(raw)}`, out);
      }
      return raw;
    }
    case "bool":
      return typeof raw === "boolean" ? raw : badValue(spec, fieldPath(parent, key), `expected true or false, got ${short(raw)}`, out);
    case "enum":
      return typeof raw === "string" && spec.options.includes(raw)
        ? raw
        : badValue(spec, fieldPath(parent, key), `expected one of ${spec.options.join(", ")}, got ${short(raw)}`, out);
  }
  return checkInner(spec, raw, fieldPath(parent, key), out);
}

/** A problem at `at`, and the default that stands for the bad value. */
function badValue(spec: FieldSpec, at: string, message: string, out: FieldProblem[]): unknown {
  out.push({ field: at, message });
  return defaultOf(spec);
}

/** A field that holds other values (a list, a record, a map), at `at`. */
function checkInner(spec: Exclude<FieldSpec, { type: "string" | "int" | "bool" | "enum" }>, raw: unknown, at: string, out: FieldProblem[]): unknown {
  const bad = (message: string): unknown => badValue(spec, at, message, out);
  switch (spec.type) {
    case "stringList":
      return checkList(raw, at, out, bad, (item, itemAt) => {
        const problem = typeof item !== "string" ? { message: `expected a string, got ${describe(item)}` } : plainProblem(item, MAX_TEXT, spec.itemPattern);
        if (problem) out.push({ field: itemAt, ...problem });
        return problem ? undefined : item;
      });
    case "intList":
      return checkList(raw, at, out, bad, (item, itemAt) => {
        if (typeof item === "number" && Number.isInteger(item) && item >= spec.min && item <= spec.max) return item;
        out.push({ field: itemAt, message: `expected integer ${spec.min}–${spec.max}, got ${short(item)}` });
        return undefined;
      });
    case "recordList":
      return checkList(raw, at, out, bad, (item, itemAt) => checkRecord(spec.fields, item, itemAt, out));
    case "record":
      return checkRecord(spec.fields, raw, at, out);
    case "stringMap": {
      if (Array.isArray(raw)) return checkMapRows(spec, raw, at, out, bad);
      if (!isRecord(raw)) return bad(`expected an object of strings, got ${describe(raw)}`);
      const result: [string, string][] = [];
      for (const key of Object.keys(raw).sort()) {
        if (mapEntryOk(spec, key, raw[key], fieldPath(at, key), out)) result.push([key, raw[key] as string]);
      }
      // fromEntries keeps a key such as "__proto__" an ordinary key.
      return Object.fromEntries(result);
    }
  }
}

/** Reports what is wrong with one name and value of a map; true when both are fine. */
function mapEntryOk(spec: StringMapField, key: string, item: unknown, itemAt: string, out: FieldProblem[]): boolean {
  const keyProblem = key === "" ? { message: "required" } : plainProblem(key, MAX_TEXT, spec.keyPattern);
  if (keyProblem) out.push({ field: itemAt, ...keyProblem, message: `name: ${keyProblem.message}` });
  const problem = typeof item !== "string" ? { message: `expected a string, got ${describe(item)}` } : plainProblem(item, MAX_TEXT);
  if (problem) out.push({ field: itemAt, ...problem });
  return !keyProblem && !problem;
}

const isPair = (v: unknown): v is [string, unknown] => Array.isArray(v) && v.length === 2 && typeof v[0] === "string";

/**
 * A map as a list of `[name, value]` rows: what the editor keeps while two rows share a name,
 * since an object cannot hold both and merging them would lose one. Each later row with a
 * name already used is a problem on that row; the field takes its default until they differ.
 */
function checkMapRows(spec: StringMapField, rows: unknown[], at: string, out: FieldProblem[], bad: (message: string) => unknown): unknown {
  if (rows.length > MAX_ITEMS) return bad(`expected at most ${MAX_ITEMS} items, got ${rows.length}`);
  if (!rows.every(isPair)) return bad("expected an object of strings, got a list");
  const first = new Map<string, number>();
  let repeated = false;
  rows.forEach(([key, item], i) => {
    const rowAt = fieldPath(at, i);
    mapEntryOk(spec, key, item, rowAt, out);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else {
      repeated = true;
      out.push({ field: rowAt, message: `name ${JSON.stringify(key)} is also used by row ${earlier + 1}; give each name one row` });
    }
  });
  if (!repeated) out.push({ field: at, message: "expected an object of strings, got a list" });
  return defaultOf(spec);
}

/**
 * The rows of a list of records that repeat an earlier row's name, one problem each on that
 * row's name field: two entries the emitted Nix would key by one name (an interface, a
 * secret, a NATS user) are one too many, and the later one is the one to change.
 */
export function repeatedNames<T>(rows: readonly T[], listField: string, nameField: keyof T & string, message: (name: string) => string): FieldProblem[] {
  const seen = new Set<unknown>();
  return rows.flatMap((row, i) => {
    const name = row[nameField];
    if (!seen.has(name)) return (seen.add(name), []);
    return [{ field: `${listField}[${i}].${nameField}`, message: message(String(name)) }];
  });
}

function checkList(
  raw: unknown,
  at: string,
  out: FieldProblem[],
  bad: (message: string) => unknown,
  item: (value: unknown, at: string) => unknown,
): unknown {
  if (!Array.isArray(raw)) return bad(`expected a list, got ${describe(raw)}`);
  if (raw.length > MAX_ITEMS) return bad(`expected at most ${MAX_ITEMS} items, got ${raw.length}`);
  return raw.map((v, i) => item(v, fieldPath(at, i))).filter((v) => v !== undefined);
}

type Problem = Omit<FieldProblem, "field">;

function stringProblem(spec: StringField, value: string): Problem | undefined {
  if (value === "") return spec.required ? { message: "required" } : undefined;
  return plainProblem(value, spec.input === "nix" ? MAX_NIX_FILE : MAX_TEXT, spec.pattern);
}

function plainProblem(value: string, maxLength: number, pattern?: Pattern): Problem | undefined {
  if (value.length > maxLength) {
    return { message: `expected at most ${maxLength} characters, got ${value.length}` };
  }
  const unprintable = nixStringProblem(value);
  if (unprintable !== null) return { message: `${unprintable}; remove it`, controlChar: true };
  if (pattern && !matches(pattern, value)) return { message: `expected ${pattern.hint}` };
  return undefined;
}

function short(v: unknown): string {
  const text = typeof v === "string" ? JSON.stringify(v) : describe(v) === "object" ? "an object" : String(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
