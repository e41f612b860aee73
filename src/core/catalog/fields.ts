/**
 * Field declarations: the one description of a kind's settings. The loader validates configs
 * against them, the compiler reads typed values through them, and the browser inspector renders
 * its inputs from them (input kind, options, bounds, pattern, placeholder, help).
 */

/** A regular expression the whole value must match, with the sentence shown when it does not. */
export interface Pattern {
  readonly source: string;
  readonly hint: string;
}

interface Described {
  readonly label: string;
  readonly help: string;
}

/** How the inspector shows a string: one line, several lines, or a code editor for Nix. */
export type StringInput = "text" | "multiline" | "nix";

export interface StringField extends Described {
  readonly type: "string";
  readonly default: string;
  readonly input: StringInput;
  /** An empty value is an error. Otherwise empty means "not set". */
  readonly required: boolean;
  readonly pattern?: Pattern;
  readonly placeholder?: string;
}

export interface IntField<V extends number | null = number | null> extends Described {
  readonly type: "int";
  /** `null` makes the field optional: unset means "let the service decide". */
  readonly default: V;
  readonly min: number;
  readonly max: number;
  readonly unit?: string;
}

export interface BoolField extends Described {
  readonly type: "bool";
  readonly default: boolean;
}

export interface EnumField<O extends string = string> extends Described {
  readonly type: "enum";
  readonly options: readonly O[];
  readonly default: O;
}

export interface StringListField extends Described {
  readonly type: "stringList";
  readonly default: readonly string[];
  readonly itemPattern?: Pattern;
  readonly placeholder?: string;
}

export interface IntListField extends Described {
  readonly type: "intList";
  readonly default: readonly number[];
  readonly min: number;
  readonly max: number;
}

export interface RecordListField<F extends Fields = Fields> extends Described {
  readonly type: "recordList";
  readonly fields: F;
  readonly default: readonly ConfigOf<F>[];
}

export interface RecordField<F extends Fields = Fields> extends Described {
  readonly type: "record";
  readonly fields: F;
}

export interface StringMapField extends Described {
  readonly type: "stringMap";
  readonly default: Readonly<Record<string, string>>;
  readonly keyPattern?: Pattern;
}

export type FieldSpec =
  | StringField
  | IntField
  | BoolField
  | EnumField
  | StringListField
  | IntListField
  | RecordListField
  | RecordField
  | StringMapField;

export type Fields = Readonly<Record<string, FieldSpec>>;

/** The value a field holds once the config is resolved (defaults filled in). */
export type ValueOf<F> = F extends StringField
  ? string
  : F extends IntField<infer V>
    ? V
    : F extends BoolField
      ? boolean
      : F extends EnumField<infer O>
        ? O
        : F extends StringListField
          ? readonly string[]
          : F extends IntListField
            ? readonly number[]
            : F extends RecordListField<infer R>
            ? readonly ConfigOf<R>[]
            : F extends RecordField<infer R>
              ? ConfigOf<R>
              : F extends StringMapField
                ? Readonly<Record<string, string>>
                : never;

export type ConfigOf<F extends Fields> = { readonly [K in keyof F]: ValueOf<F[K]> };

// Constructors: they fill the usual choices so a kind module states only what is particular.

type Opt<T, K extends keyof T> = Omit<T, "type" | K> & Partial<Pick<T, K>>;

export const text = (o: Opt<StringField, "default" | "input" | "required">): StringField => ({
  type: "string",
  default: "",
  input: "text",
  required: false,
  ...o,
});

export const int = <V extends number | null>(o: Omit<IntField<V>, "type">): IntField<V> => ({
  type: "int",
  ...o,
});

/** A TCP port. */
export const port = <V extends number | null>(o: Opt<IntField<V>, "min" | "max">): IntField<V> =>
  int({ min: 1, max: 65535, ...o } as Omit<IntField<V>, "type">);

export const bool = (o: Omit<BoolField, "type">): BoolField => ({ type: "bool", ...o });

export const oneOf = <const O extends string>(
  options: readonly O[],
  o: Omit<EnumField<O>, "type" | "options">,
): EnumField<O> => ({ type: "enum", options, ...o });

export const strings = (o: Opt<StringListField, "default">): StringListField => ({
  type: "stringList",
  default: [],
  ...o,
});

export const ports = (o: Opt<IntListField, "default" | "min" | "max">): IntListField => ({
  type: "intList",
  default: [],
  min: 1,
  max: 65535,
  ...o,
});

export const records = <F extends Fields>(
  fields: F,
  o: Opt<Omit<RecordListField<F>, "fields">, "default">,
): RecordListField<F> => ({ type: "recordList", fields, default: [], ...o });

export const record = <F extends Fields>(fields: F, o: Described): RecordField<F> => ({
  type: "record",
  fields,
  ...o,
});

export const stringMap = (o: Opt<StringMapField, "default">): StringMapField => ({
  type: "stringMap",
  default: {},
  ...o,
});
