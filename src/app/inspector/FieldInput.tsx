import { memo } from "react";
import { defaultOf, defaultsOf } from "../../core/catalog/check-config";
import type { FieldSpec, Fields } from "../../core/catalog/fields";
import { LazyCodeEditor } from "../code/LazyCodeEditor";
import { useDraft } from "./useDraft";

export interface FieldProps {
  readonly spec: FieldSpec;
  readonly value: unknown;
  readonly onChange: (value: unknown) => void;
  /** The input's id: the label and the problems panel point at it. */
  readonly id: string;
  readonly invalid: boolean;
}

const box = (invalid: boolean) =>
  `w-full rounded border px-2 py-1 text-sm ${invalid ? "border-red-400 bg-red-50" : "border-slate-300 bg-white"} focus:outline-2 focus:outline-violet-500`;

/** A whole number, or the text as typed so validation can say what is wrong with it. */
const asInt = (text: string, optional: boolean): unknown => {
  const t = text.trim();
  if (t === "") return optional ? null : undefined;
  return /^-?\d+$/.test(t) ? Number(t) : t;
};

const lines = (value: unknown) => (Array.isArray(value) ? value.map(String).join("\n") : "");

function TextInput({ spec, value, onChange, id, invalid }: FieldProps & { spec: Extract<FieldSpec, { type: "string" }> }) {
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

function IntInput({ spec, value, onChange, id, invalid }: FieldProps & { spec: Extract<FieldSpec, { type: "int" }> }) {
  const [text, setText] = useDraft(value === null || value === undefined ? "" : String(value));
  return (
    <input
      id={id}
      type="text"
      inputMode="numeric"
      className={box(invalid)}
      aria-invalid={invalid}
      value={text}
      placeholder={spec.default === null ? "not set" : String(spec.default)}
      onChange={(e) => {
        setText(e.target.value);
        onChange(asInt(e.target.value, spec.default === null));
      }}
    />
  );
}

function ListInput({ spec, value, onChange, id, invalid }: FieldProps & { spec: Extract<FieldSpec, { type: "stringList" | "intList" }> }) {
  const [text, setText] = useDraft(lines(value));
  return (
    <textarea
      id={id}
      rows={Math.min(6, Math.max(2, text.split("\n").length))}
      className={`${box(invalid)} font-mono`}
      aria-invalid={invalid}
      value={text}
      placeholder={spec.type === "stringList" && spec.placeholder ? `${spec.placeholder} (one per line)` : "one per line"}
      onChange={(e) => {
        setText(e.target.value);
        const items = e.target.value.split("\n").filter((l) => l.trim() !== "");
        onChange(spec.type === "intList" ? items.map((l) => asInt(l, false)) : items);
      }}
    />
  );
}

/** Sub-fields of a record, labelled and nested: the same generator, one level down. */
function RecordInput({ fields, value, onChange, id, invalid }: { fields: Fields; value: unknown; onChange: (v: unknown) => void; id: string; invalid: boolean }) {
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  return (
    <div className="space-y-2">
      {Object.entries(fields).map(([key, spec]) => (
        <Field key={key} spec={spec} id={`${id}.${key}`} invalid={invalid} value={record[key] ?? defaultOf(spec)} onChange={(v) => onChange({ ...record, [key]: v })} />
      ))}
    </div>
  );
}

function RecordListInput({ spec, value, onChange, id, invalid }: FieldProps & { spec: Extract<FieldSpec, { type: "recordList" }> }) {
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  const blank = defaultsOf(spec.fields);
  return (
    <div className="space-y-2">
      {items.map((item, i) => (
        <fieldset key={i} className="rounded border border-slate-200 bg-white p-2">
          <legend className="px-1 text-[11px] text-slate-500">
            {spec.label} #{i + 1}
          </legend>
          <RecordInput fields={spec.fields} id={`${id}[${i}]`} invalid={invalid} value={item} onChange={(v) => onChange(items.map((old, j) => (j === i ? v : old)))} />
          <button type="button" className="mt-2 text-xs text-red-600 hover:underline" onClick={() => onChange(items.filter((_, j) => j !== i))}>
            Remove {spec.label.toLowerCase()} #{i + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" id={id} className="rounded border border-dashed border-slate-300 px-2 py-1 text-xs text-slate-600 hover:bg-white" onClick={() => onChange([...items, blank])}>
        Add to {spec.label.toLowerCase()}
      </button>
    </div>
  );
}

function MapInput({ spec, value, onChange, id, invalid }: FieldProps & { spec: Extract<FieldSpec, { type: "stringMap" }> }) {
  const entries = Object.entries((typeof value === "object" && value !== null ? value : {}) as Record<string, string>);
  const write = (next: [string, string][]) => onChange(Object.fromEntries(next));
  return (
    <div className="space-y-1">
      {entries.map(([k, v], i) => (
        <div key={i} className="flex gap-1">
          <input aria-label={`${spec.label} name ${i + 1}`} className={`${box(invalid)} font-mono`} value={k} onChange={(e) => write(entries.map((en, j) => (j === i ? [e.target.value, en[1]] : en)))} />
          <input aria-label={`${spec.label} value ${i + 1}`} className={box(invalid)} value={v} onChange={(e) => write(entries.map((en, j) => (j === i ? [en[0], e.target.value] : en)))} />
          <button type="button" aria-label={`Remove ${spec.label} ${k}`} className="px-1 text-red-600" onClick={() => write(entries.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        id={id}
        className="rounded border border-dashed border-slate-300 px-2 py-1 text-xs text-slate-600 hover:bg-white"
        onClick={() => write([...entries, [`name${entries.length + 1}`, ""]])}
      >
        Add to {spec.label.toLowerCase()}
      </button>
    </div>
  );
}

function Control(props: FieldProps) {
  const { spec, value, onChange, id, invalid } = props;
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
      return <RecordInput fields={spec.fields} id={id} invalid={invalid} value={value} onChange={onChange} />;
    case "stringMap":
      return <MapInput {...props} spec={spec} />;
  }
}

/** Records, lists of records, maps and the Nix editor name themselves; the rest hang on a <label>. */
const labelledByTag = (spec: FieldSpec) => !(spec.type === "record" || spec.type === "recordList" || spec.type === "stringMap" || (spec.type === "string" && spec.input === "nix"));

const shownDefault = (spec: FieldSpec): string | null => {
  if (spec.type === "record") return null;
  const text = JSON.stringify(spec.default);
  return ['""', "[]", "{}"].includes(text) ? null : text;
};

/** One field as the catalog declares it: label, input, default, help and the problems with its value. */
export const Field = memo(function Field({ problems = [], ...props }: FieldProps & { problems?: readonly string[] }) {
  const { spec, id } = props;
  const label = (
    <label htmlFor={id} className="text-xs font-medium text-slate-700">
      {spec.label}
    </label>
  );
  const fallback = shownDefault(spec);
  return (
    <div className="flex flex-col gap-1">
      {!labelledByTag(spec) ? (
        <>
          <span className="text-xs font-medium text-slate-700">{spec.label}</span>
          <Control {...props} />
        </>
      ) : spec.type === "bool" ? (
        <div className="flex items-center gap-2">
          <Control {...props} />
          {label}
        </div>
      ) : (
        <>
          {label}
          <Control {...props} />
        </>
      )}
      <p className="text-[11px] leading-snug text-slate-500">
        {spec.help}
        {fallback ? <span className="text-slate-400"> Default: {fallback}.</span> : null}
      </p>
      {problems.map((p) => (
        <p key={p} role="alert" className="text-[11px] font-medium text-red-600">
          {p}
        </p>
      ))}
    </div>
  );
});
