import { memo, type ReactNode } from "react";
import { defaultOf, defaultsOf } from "../../core/catalog/check-config";
import { fieldPath, isRecord } from "../../core/objects";
import type { FieldSpec, Fields } from "../../core/catalog/fields";
import { LazyCodeEditor } from "../code/LazyCodeEditor";
import { wholeNumber } from "../ui/text";
import { useDraft, useRowKeys } from "./useDraft";

/** A problem with a node's setting; `field` is its place in the config (`users[0].user`). */
export interface FieldMessage {
  readonly field: string;
  readonly message: string;
}

export interface FieldProps {
  readonly spec: FieldSpec;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  /** The input's id: the label and the problems panel point at it. */
  readonly id: string;
  /** Where the value sits in the node's config (`environment`, `users[0].user`). */
  readonly path: string;
  /** The problems at or under `path`: each is shown by the innermost input it belongs to. */
  readonly problems: readonly FieldMessage[];
}

const box = (invalid: boolean) =>
  `w-full rounded border px-2 py-1 text-sm ${invalid ? "border-red-400 bg-red-50" : "border-slate-300 bg-white"} focus:outline-2 focus:outline-violet-500`;

/** Whether a problem is at `path` or inside it (`path.x`, `path[0]`). */
const isUnder = (p: FieldMessage, path: string) => p.field === path || p.field.startsWith(`${path}.`) || p.field.startsWith(`${path}[`);

const problemsUnder = (problems: readonly FieldMessage[], path: string): FieldMessage[] => problems.filter((p) => isUnder(p, path));

function Alerts({ problems, path }: { problems: readonly FieldMessage[]; path: string }) {
  return problems.map((p) => (
    <p key={`${p.field}\u0000${p.message}`} role="alert" className="text-[11px] font-medium text-red-600">
      {p.field === path ? p.message : `${p.field}: ${p.message}`}
    </p>
  ));
}

/**
 * What a number field stores for its text: the whole number, null for an empty optional
 * field ("not set"), or else the text itself, empty included, so the design never holds a
 * number nobody typed and validation can say what is wrong.
 */
const numberFromText = (text: string, optional: boolean): unknown => wholeNumber(text) ?? (optional && text.trim() === "" ? null : text);

/** What identifies a stored value for `useDraft`. */
const storedKey = (value: unknown) => JSON.stringify(value) ?? "";

function TextInput({ spec, value, onChange, id, problems }: FieldProps & { spec: Extract<FieldSpec, { type: "string" }> }) {
  const invalid = problems.length > 0;
  if (spec.input === "nix") {
    return (
      <div className="h-56">
        <LazyCodeEditor value={String(value ?? "")} label={spec.label} onChange={onChange} invalid={invalid} />
      </div>
    );
  }
  const common = { id, className: box(invalid), value: String(value ?? ""), placeholder: spec.placeholder, "aria-invalid": invalid };
  return spec.input === "multiline" ? (
    <textarea {...common} rows={4} onChange={(e) => onChange(e.target.value)} />
  ) : (
    <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />
  );
}

function IntInput({ spec, value, onChange, id, problems }: FieldProps & { spec: Extract<FieldSpec, { type: "int" }> }) {
  const [text, setText] = useDraft(value === null || value === undefined ? "" : String(value), storedKey(value));
  const invalid = problems.length > 0;
  return (
    <input
      id={id}
      type="text"
      inputMode="numeric"
      className={box(invalid)}
      aria-invalid={invalid}
      value={text}
      placeholder={spec.default === null ? "not set" : undefined}
      onChange={(e) => {
        const next = numberFromText(e.target.value, spec.default === null);
        setText(e.target.value, storedKey(next));
        onChange(next);
      }}
    />
  );
}

function ListInput({ spec, value, onChange, id, problems }: FieldProps & { spec: Extract<FieldSpec, { type: "stringList" | "intList" }> }) {
  const [text, setText] = useDraft(Array.isArray(value) ? value.map(String).join("\n") : "", storedKey(value));
  const invalid = problems.length > 0;
  return (
    <textarea
      id={id}
      rows={Math.min(6, Math.max(2, text.split("\n").length))}
      className={`${box(invalid)} font-mono`}
      aria-invalid={invalid}
      value={text}
      placeholder={spec.type === "stringList" && spec.placeholder ? `${spec.placeholder} (one per line)` : "one per line"}
      onChange={(e) => {
        const items = e.target.value.split("\n").filter((l) => l.trim() !== "");
        const next = spec.type === "intList" ? items.map((l) => numberFromText(l, false)) : items;
        setText(e.target.value, storedKey(next));
        onChange(next);
      }}
    />
  );
}

/** Sub-fields of a record, labelled and nested: the same generator, one level down. */
function RecordInput({ fields, value, onChange, id, path, problems }: { fields: Fields; value: unknown; onChange: (v: unknown) => void; id: string; path: string; problems: readonly FieldMessage[] }) {
  const record = (isRecord(value) ? value : {}) as Record<string, unknown>;
  const paths = Object.keys(fields).map((k) => fieldPath(path, k));
  const own = problems.filter((p) => !paths.some((sub) => isUnder(p, sub)));
  return (
    <div className="space-y-2">
      {Object.entries(fields).map(([k, spec], i) => (
        <Field key={k} spec={spec} id={`${id}.${k}`} path={paths[i]!} problems={problemsUnder(problems, paths[i]!)} value={record[k] ?? defaultOf(spec)} onChange={(v) => onChange({ ...record, [k]: v })} />
      ))}
      <Alerts problems={own} path={path} />
    </div>
  );
}

const addButton = "rounded border border-dashed border-slate-300 px-2 py-1 text-xs text-slate-600 hover:bg-white";

function RecordListInput({ spec, value, onChange, id, path, problems }: FieldProps & { spec: Extract<FieldSpec, { type: "recordList" }> }) {
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  const rows = useRowKeys(items.length);
  const rowPaths = items.map((_, i) => fieldPath(path, i));
  const own = problems.filter((p) => !rowPaths.some((row) => isUnder(p, row)));
  return (
    <div className="space-y-2">
      {items.map((item, i) => (
        <fieldset key={rows.keys[i]} className="rounded border border-slate-200 bg-white p-2">
          <legend className="px-1 text-[11px] text-slate-500">
            {spec.label} #{i + 1}
          </legend>
          <RecordInput fields={spec.fields} id={`${id}[${i}]`} path={rowPaths[i]!} problems={problemsUnder(problems, rowPaths[i]!)} value={item} onChange={(v) => onChange(items.map((old, j) => (j === i ? v : old)))} />
          <button
            type="button"
            className="mt-2 text-xs text-red-600 hover:underline"
            onClick={() => {
              rows.removed(i);
              onChange(items.filter((_, j) => j !== i));
            }}
          >
            Remove {spec.label.toLowerCase()} #{i + 1}
          </button>
        </fieldset>
      ))}
      <Alerts problems={own} path={path} />
      <button type="button" id={id} className={addButton} onClick={() => onChange([...items, defaultsOf(spec.fields)])}>
        Add to {spec.label.toLowerCase()}
      </button>
    </div>
  );
}

type Row = readonly [name: string, value: string];

/** A map's rows in order: from its object, or from the `[name, value]` rows kept while two share a name. */
const rowsOf = (value: unknown): Row[] =>
  Array.isArray(value)
    ? value.map((r) => (Array.isArray(r) ? [String(r[0] ?? ""), String(r[1] ?? "")] : ["", ""]))
    : Object.entries(isRecord(value) ? value : {}).map(([k, v]) => [k, String(v)]);

/**
 * What the design keeps for the rows: the object while every name is its own, else the rows
 * themselves, which validation reports on the repeating row. Never a merge: an object would
 * let the second row overwrite the first while a name is being typed.
 */
const mapValue = (rows: readonly Row[]): unknown =>
  new Set(rows.map(([name]) => name)).size === rows.length ? Object.fromEntries(rows) : rows.map(([name, v]) => [name, v]);

/**
 * A map as rows of name and value. Each row keeps its identity (its key, its place) while its
 * name is retyped, whatever the names pass through on the way; a repeated name is a problem on
 * its row, and Add makes an empty row rather than guess a name.
 */
function MapInput({ spec, value, onChange, id, path, problems }: FieldProps & { spec: Extract<FieldSpec, { type: "stringMap" }> }) {
  const [rows, setRows] = useDraft(rowsOf(value), storedKey(value));
  const keys = useRowKeys(rows.length);
  const asObject = !Array.isArray(mapValue(rows));
  // A row's problems: at its index while the map is kept as rows, at its name once it is an object.
  const rowProblems = rows.map(([name], i) => problems.filter((p) => p.field === fieldPath(path, i) || (asObject && p.field === fieldPath(path, name))));
  const own = problems.filter((p) => !rowProblems.some((list) => list.includes(p)));
  const write = (next: readonly Row[]) => {
    const stored = mapValue(next);
    setRows([...next], storedKey(stored));
    onChange(stored);
  };
  return (
    <div className="space-y-1">
      {rows.map(([name, v], i) => {
        const mine = rowProblems[i]!;
        return (
          <div key={keys.keys[i]} role="group" aria-label={`${spec.label} row ${i + 1}`}>
            <div className="flex gap-1">
              <input aria-label={`${spec.label} name ${i + 1}`} aria-invalid={mine.length > 0} className={`${box(mine.length > 0)} font-mono`} value={name} onChange={(e) => write(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
              <input aria-label={`${spec.label} value ${i + 1}`} className={box(false)} value={v} onChange={(e) => write(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
              <button
                type="button"
                aria-label={`Remove ${spec.label} ${name || `row ${i + 1}`}`}
                className="px-1 text-red-600"
                onClick={() => {
                  keys.removed(i);
                  write(rows.filter((_, j) => j !== i));
                }}
              >
                ✕
              </button>
            </div>
            <Alerts problems={mine} path={fieldPath(path, asObject ? name : i)} />
          </div>
        );
      })}
      <Alerts problems={own} path={path} />
      <button type="button" id={id} className={addButton} onClick={() => write([...rows, ["", ""]])}>
        Add to {spec.label.toLowerCase()}
      </button>
    </div>
  );
}

/** Records, lists of records and maps show their problems inside, row by row; the rest under the input. */
const composite = (spec: FieldSpec) => spec.type === "record" || spec.type === "recordList" || spec.type === "stringMap";

function Control(props: FieldProps) {
  const { spec, value, onChange, id, problems } = props;
  const invalid = problems.length > 0;
  switch (spec.type) {
    case "string":
      return <TextInput {...props} spec={spec} />;
    case "int":
      return <IntInput {...props} spec={spec} />;
    case "bool":
      return <input id={id} type="checkbox" className="h-4 w-4 accent-violet-600" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case "enum":
      return (
        <select id={id} className={box(invalid)} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {spec.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    case "stringList":
    case "intList":
      return <ListInput {...props} spec={spec} />;
    case "recordList":
      return <RecordListInput {...props} spec={spec} />;
    case "record":
      return <RecordInput fields={spec.fields} id={id} path={props.path} problems={problems} value={value} onChange={onChange} />;
    case "stringMap":
      return <MapInput {...props} spec={spec} />;
  }
}

/** Records, lists of records, maps and the Nix editor name themselves; the rest hang on a <label>. */
const labelledByTag = (spec: FieldSpec) => !(composite(spec) || (spec.type === "string" && spec.input === "nix"));

const shownDefault = (spec: FieldSpec): string | null => {
  if (spec.type === "record") return null;
  const text = JSON.stringify(spec.default);
  return ['""', "[]", "{}"].includes(text) ? null : text;
};

/** One field as the catalog declares it: label, input, default, help and the problems with its value. */
export const Field = memo(function Field(props: FieldProps) {
  const { spec, id, path, problems } = props;
  const label = (
    <label htmlFor={id} className="text-xs font-medium text-slate-700">
      {spec.label}
    </label>
  );
  const fallback = shownDefault(spec);
  let control: ReactNode;
  if (!labelledByTag(spec)) {
    control = (
      <>
        <span className="text-xs font-medium text-slate-700">{spec.label}</span>
        <Control {...props} />
      </>
    );
  } else if (spec.type === "bool") {
    control = (
      <div className="flex items-center gap-2">
        <Control {...props} />
        {label}
      </div>
    );
  } else {
    control = (
      <>
        {label}
        <Control {...props} />
      </>
    );
  }
  return (
    <div className="flex flex-col gap-1">
      {control}
      <p className="text-[11px] leading-snug text-slate-500">
        {spec.help}
        {fallback ? <span className="text-slate-400"> Default: {fallback}.</span> : null}
      </p>
      {!composite(spec) && <Alerts problems={problems} path={path} />}
    </div>
  );
});
