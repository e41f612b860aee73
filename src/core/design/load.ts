import { fieldPath, isRecord } from "../objects";
import { validate, type ValidateOptions } from "../validate";
import { error, type Diagnostic } from "../validate/diagnostic";
import { migrations } from "./migrations";
import { DESIGN_VERSION, NOTE_COLORS, type Design, type DesignEdge, type DesignNode, type DesignNote, type NoteColor } from "./types";
import { MAX_NOTES, labelProblem, noteTextProblem } from "./label";
import { messageOf } from "../errors";
import { HOST_ID } from "../catalog/patterns";
import { lockedInputs } from "../compile/lock";

export interface LoadResult {
  /** Present when the file has the shape of a design; `diagnostics` may still hold errors. */
  readonly design: Design | null;
  readonly diagnostics: readonly Diagnostic[];
}

function parseJson(text: string): { doc: unknown } | LoadResult {
  try {
    return { doc: JSON.parse(text) };
  } catch (e) {
    const reason = messageOf(e);
    return { design: null, diagnostics: [error("E_DESIGN_JSON", `the file is not JSON (${reason})`)] };
  }
}

/** Reads a design file's text. Never throws: every problem is a diagnostic naming its place. */
export function parseDesign(text: string, options: ValidateOptions = {}): LoadResult {
  const parsed = parseJson(text);
  return "doc" in parsed ? loadDesign(parsed.doc, options) : parsed;
}

/** Reads a design file's text as `loadDesignShape` does: the design, not what is wrong with its meaning. */
export function parseDesignShape(text: string): LoadResult {
  const parsed = parseJson(text);
  return "doc" in parsed ? loadDesignShape(parsed.doc) : parsed;
}

/** Checks a parsed document, migrates it to the current version and validates it. */
export function loadDesign(doc: unknown, options: ValidateOptions = {}): LoadResult {
  const shaped = loadDesignShape(doc);
  return shaped.design ? { design: shaped.design, diagnostics: validate(shaped.design, options) } : shaped;
}

/**
 * Checks a parsed document's shape and migrates it to the current version, without judging
 * what it means: for callers that only need the design (a stored design being opened, a
 * deployed one being compared), which the full validation would cost dearly at 1 000 nodes.
 */
export function loadDesignShape(doc: unknown): LoadResult {
  if (!isRecord(doc)) {
    return { design: null, diagnostics: [error("E_DESIGN_SHAPE", "expected a design object { version, name, nodes, edges }")] };
  }
  const migrated = migrate(doc);
  if ("problem" in migrated) return { design: null, diagnostics: [migrated.problem] };
  const problems: Diagnostic[] = [];
  const design = readShape(migrated.doc, problems);
  return design && problems.length === 0 ? { design, diagnostics: [] } : { design: null, diagnostics: problems };
}

function migrate(doc: Record<string, unknown>): { doc: Record<string, unknown> } | { problem: Diagnostic } {
  const version = doc.version;
  const where = { path: "version" };
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    return { problem: error("E_DESIGN_VERSION", `expected a whole version number (this Alchemist writes ${DESIGN_VERSION}), got ${JSON.stringify(version) ?? "nothing"}`, where) };
  }
  if (version > DESIGN_VERSION) {
    return { problem: error("E_DESIGN_VERSION", `version ${version} was written by a newer Alchemist; this one reads up to ${DESIGN_VERSION}`, where) };
  }
  let current = doc;
  for (let v = version; v < DESIGN_VERSION; v++) {
    const step = migrations[v];
    if (!step) return { problem: error("E_DESIGN_VERSION", `no migration from version ${v} to ${v + 1}`, where) };
    const stepped = step(current);
    if ("refused" in stepped) return { problem: error("E_DESIGN_VERSION", `version ${version}: ${stepped.refused.message}`, { path: stepped.refused.path }) };
    current = { ...stepped.doc, version: v + 1 };
  }
  return { doc: current };
}

const TOP_LEVEL = ["version", "name", "nodes", "edges", "notes", "locks"];
const INSTANCE_ID = new RegExp(`^(?:${HOST_ID.source})$`);

function readShape(doc: Record<string, unknown>, out: Diagnostic[]): Design | null {
  const bad = (path: string, message: string): null => {
    out.push(error("E_DESIGN_SHAPE", message, { path }));
    return null;
  };
  for (const key of Object.keys(doc).filter((k) => !TOP_LEVEL.includes(k)).sort()) {
    bad(fieldPath("", key), `unknown top-level key; a design has ${TOP_LEVEL.join(", ")}`);
  }
  const name = typeof doc.name === "string" ? doc.name : bad("name", `expected a string, got ${typeName(doc.name)}`);
  const nodes = Array.isArray(doc.nodes) ? doc.nodes.map((n, i) => readNode(n, `nodes[${i}]`, bad)) : bad("nodes", `expected a list, got ${typeName(doc.nodes)}`);
  const edges = Array.isArray(doc.edges) ? doc.edges.map((e, i) => readEdge(e, `edges[${i}]`, bad)) : bad("edges", `expected a list, got ${typeName(doc.edges)}`);
  const notes = doc.notes === undefined ? [] : readNotes(doc.notes, bad);
  const locks = doc.locks === undefined ? undefined : readLocks(doc.locks, bad);
  if (name === null || nodes === null || edges === null || notes === null || locks === null) return null;
  const present = notes.filter(isPresent);
  return {
    version: DESIGN_VERSION,
    name,
    nodes: nodes.filter(isPresent),
    edges: edges.filter(isPresent),
    ...(present.length > 0 ? { notes: present } : {}),
    ...(locks && Object.keys(locks).length > 0 ? { locks } : {}),
  };
}

/** `locks`: instance id → the text of a flake.lock Nix can read. */
function readLocks(raw: unknown, bad: Bad): Record<string, string> | null {
  if (!isRecord(raw)) return bad("locks", `expected an object of instance id → flake.lock text, got ${typeName(raw)}`);
  const locks: Record<string, string> = {};
  let ok = true;
  for (const [id, text] of Object.entries(raw)) {
    const at = fieldPath("locks", id);
    if (!INSTANCE_ID.test(id)) ok = bad(at, `expected an instance id (${HOST_ID.hint})`) ?? false;
    else if (typeof text !== "string") ok = bad(at, `expected the text of a flake.lock, got ${typeName(text)}`) ?? false;
    else {
      const read = lockedInputs(text);
      if (read.ok) locks[id] = text;
      else ok = bad(at, `${read.error.message}; remove the entry and the next deployment of ${id} locks its inputs again`) ?? false;
    }
  }
  return ok ? locks : null;
}

const isPresent = <T>(v: T | null): v is T => v !== null;

type Bad = (path: string, message: string) => null;

function readNode(raw: unknown, at: string, bad: Bad): DesignNode | null {
  if (!isRecord(raw)) return bad(at, `expected a node { id, kind, position, config, label }, got ${typeName(raw)}`);
  const id = nonEmptyString(raw.id, `${at}.id`, bad);
  const kind = nonEmptyString(raw.kind, `${at}.kind`, bad);
  const position = raw.position === undefined ? { x: 0, y: 0 } : readPosition(raw.position, `${at}.position`, bad);
  const config = raw.config === undefined ? {} : isRecord(raw.config) ? raw.config : bad(`${at}.config`, `expected an object, got ${typeName(raw.config)}`);
  const label = raw.label === undefined ? undefined : readLabel(raw.label, `${at}.label`, id, bad);
  unknownKeys(raw, ["id", "kind", "position", "config", "label"], at, bad);
  if (id === null || kind === null || position === null || config === null || label === null) return null;
  return { id, kind, position, config, ...(label === undefined ? {} : { label }) };
}

/** A label's problems name the node by its id (when it has one), never by the label being refused. */
const readLabel = (raw: unknown, at: string, nodeId: string | null, bad: Bad): string | null =>
  readText(raw, at, labelProblem, nodeId === null ? "" : `the label of node ${nodeId}: `, bad);

function readText(raw: unknown, at: string, problemOf: (s: string) => string | null, whose: string, bad: Bad): string | null {
  if (typeof raw !== "string") return bad(at, `${whose}expected a string, got ${typeName(raw)}`);
  const problem = problemOf(raw);
  return problem === null ? raw : bad(at, `${whose}${problem}`);
}

function readNotes(raw: unknown, bad: Bad): (DesignNote | null)[] | null {
  if (!Array.isArray(raw)) return bad("notes", `expected a list, got ${typeName(raw)}`);
  if (raw.length > MAX_NOTES) return bad("notes", `expected at most ${MAX_NOTES} notes, got ${raw.length}`);
  return raw.map((n, i) => readNote(n, `notes[${i}]`, bad));
}

function readNote(raw: unknown, at: string, bad: Bad): DesignNote | null {
  if (!isRecord(raw)) return bad(at, `expected a note { id, text, color, position }, got ${typeName(raw)}`);
  const id = nonEmptyString(raw.id, `${at}.id`, bad);
  const text = readText(raw.text, `${at}.text`, noteTextProblem, id === null ? "" : `the text of note ${id}: `, bad);
  const color = NOTE_COLORS.includes(raw.color as NoteColor) ? (raw.color as NoteColor) : bad(`${at}.color`, `expected one of ${NOTE_COLORS.join(", ")}, got ${typeName(raw.color)}`);
  const position = raw.position === undefined ? { x: 0, y: 0 } : readPosition(raw.position, `${at}.position`, bad);
  unknownKeys(raw, ["id", "text", "color", "position"], at, bad);
  if (id === null || text === null || color === null || position === null) return null;
  return { id, text, color, position };
}

function readEdge(raw: unknown, at: string, bad: Bad): DesignEdge | null {
  if (!isRecord(raw)) return bad(at, `expected an edge { id, source, target }, got ${typeName(raw)}`);
  const id = nonEmptyString(raw.id, `${at}.id`, bad);
  const source = nonEmptyString(raw.source, `${at}.source`, bad);
  const target = nonEmptyString(raw.target, `${at}.target`, bad);
  unknownKeys(raw, ["id", "source", "target"], at, bad);
  if (id === null || source === null || target === null) return null;
  return { id, source, target };
}

function readPosition(raw: unknown, at: string, bad: Bad): { x: number; y: number } | null {
  if (!isRecord(raw)) return bad(at, `expected { x, y }, got ${typeName(raw)}`);
  const coord = (key: "x" | "y"): number | null => {
    const v = raw[key];
    return typeof v === "number" && Number.isFinite(v) ? v : bad(`${at}.${key}`, `expected a number, got ${typeName(v)}`);
  };
  const x = coord("x");
  const y = coord("y");
  return x === null || y === null ? null : { x, y };
}

const MAX_ID = 200;

function nonEmptyString(v: unknown, at: string, bad: Bad): string | null {
  if (typeof v !== "string" || v === "") return bad(at, `expected a non-empty string, got ${typeName(v)}`);
  if (v.length > MAX_ID) return bad(at, `expected at most ${MAX_ID} characters, got ${v.length}`);
  return v;
}

function unknownKeys(raw: Record<string, unknown>, known: readonly string[], at: string, bad: Bad): void {
  for (const key of Object.keys(raw).filter((k) => !known.includes(k)).sort()) {
    bad(fieldPath(at, key), `unknown key; expected ${known.join(", ")}`);
  }
}

function typeName(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return v === "" ? "an empty string" : "a string";
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}
