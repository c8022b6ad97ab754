import { FAILSAFE_SCHEMA, Schema, Type, load } from 'js-yaml';

/*
 * YAML recipes are read with js-yaml (the only YAML parser the package ships) and the YAML 1.2.2 core
 * schema (https://yaml.org/spec/1.2.2/#103-core-schema): js-yaml's own CORE_SCHEMA resolves a few plain
 * scalars differently (`0b101`, `+0x1` and `-0o7` become numbers, `-.5e-3` stays a string), so null, booleans,
 * integers and floats are resolved here by the spec's regular expressions. Timestamps are not resolved: an
 * unquoted `RecipeFormatVersion: 2020-01-25` stays a string.
 */

const NULL = /^(~|null|Null|NULL|)$/;
const TRUE = /^(true|True|TRUE)$/;
const FALSE = /^(false|False|FALSE)$/;

const INT_DECIMAL = /^[-+]?[0-9]+$/;
const INT_OCTAL = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NUMBER = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const FLOAT_INFINITY = /^[-+]?\.(inf|Inf|INF)$/;
const FLOAT_NAN = /^\.(nan|NaN|NAN)$/;

const nul = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || NULL.test(data),
  construct: () => null,
  predicate: (value: unknown) => value === null,
  represent: () => 'null',
});

const bool = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (TRUE.test(data) || FALSE.test(data)),
  construct: (data: string) => TRUE.test(data),
  predicate: (value: unknown) => typeof value === 'boolean',
  represent: (value: object) => String(value),
});

const int = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (INT_DECIMAL.test(data) || INT_OCTAL.test(data) || INT_HEX.test(data)),
  construct: (data: string) => {
    if (INT_OCTAL.test(data)) return parseInt(data.slice(2), 8);
    if (INT_HEX.test(data)) return parseInt(data.slice(2), 16);
    return parseInt(data, 10);
  },
  predicate: (value: unknown) => typeof value === 'number' && Number.isInteger(value),
  represent: (value: object) => String(value),
});

const float = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && (FLOAT_NUMBER.test(data) || FLOAT_INFINITY.test(data) || FLOAT_NAN.test(data)),
  construct: (data: string) => {
    if (FLOAT_NAN.test(data)) return NaN;
    if (FLOAT_INFINITY.test(data)) return data.startsWith('-') ? -Infinity : Infinity;
    return parseFloat(data);
  },
  predicate: (value: unknown) => typeof value === 'number',
  represent: (value: object) => String(value),
});

/** FAILSAFE (strings, sequences, mappings) plus the core schema's null, bool, int and float. */
const RECIPE_YAML_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({ implicit: [nul, bool, int, float] });

/**
 * Parses the text of a YAML recipe: a single document, YAML 1.2 core schema, duplicate keys refused.
 * Like the Greengrass tools' parsers (PyYAML in GDK, SnakeYAML in the nucleus) it accepts a quoted scalar
 * whose continuation line is indented like its key, which some YAML writers emit.
 *
 * @throws the parser's error (message with line and column) when the text is not YAML
 */
export function parseRecipeYaml(text: string): any {
  return load(text, { schema: RECIPE_YAML_SCHEMA });
}
