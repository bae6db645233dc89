import type { CamelCaseKey, InferredOptionTypes, Options } from "yargs";
import { UserError } from "../errors";
import { HARMLESS, quoteRejected } from "../util/redact";

/**
 * Typed, validated flag values. Each builder returns a yargs option whose `coerce` parses the raw
 * text (main.ts turns off yargs' own number parsing, which makes `ten` NaN and `1e3` 1000) and
 * throws one sentence naming the flag, the value, the range and an example. yargs runs coerce on
 * defaults too, so a default outside its own range fails every test at once. The handler's argv
 * type is inferred from `coerce`'s return type: no casts, no range checks repeated in handlers.
 */

/** setTimeout's limit: a longer delay fires at once (Node prints TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface IntegerSpec {
  describe: string;
  min: number;
  max: number;
  /** "milliseconds", "seconds", "days", ...: the sentence says "a whole number of <unit>". */
  unit?: string;
  /** Instead of a unit, what the number is: "a port number" (the sentence says "must be a port number"). */
  what?: string;
  /** Why the range is what it is, said after it: "(the Nexxt stand-in takes the next port)". */
  why?: string;
  /** Shown in the error: `--retries 5`. */
  example: number;
}

/**
 * A whole number from min to max, written in plain digits (no sign, decimals or exponent). Add
 * `default` beside it: `{ ...integerFlag("retries", {...}), default: 5 }`.
 */
export function integerFlag(flag: string, spec: IntegerSpec) {
  const example = spec.example;
  const range = spec.max === MAX_TIMER_MS ? `${spec.min} or more (at most ${MAX_TIMER_MS})` : `from ${spec.min} to ${spec.max}`;
  return {
    describe: spec.describe,
    requiresArg: true,
    coerce: (value: unknown): number => {
      const text = String(value).trim();
      const number = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(number) || number < spec.min || number > spec.max) {
        const what = spec.what ?? `a whole number of ${spec.unit ?? "units"}`;
        throw new UserError(`--${flag} ${quoteRejected(value, HARMLESS.number)} must be ${what} ${range}${spec.why ? ` ${spec.why}` : ""}, for example --${flag} ${example}.`);
      }
      return number;
    },
  };
}

/** One of a fixed list, refused in one sentence (yargs' own `choices` prints a multi-line block). */
export function choiceFlag<C extends string>(flag: string, choices: readonly C[], spec: { describe: string; what: string }) {
  return {
    describe: `${spec.describe} (${choices.join(", ")})`,
    requiresArg: true,
    coerce: (value: unknown): C => {
      const text = String(value).trim().toLowerCase();
      const found = choices.find((choice) => choice.toLowerCase() === text);
      if (found === undefined) {
        throw new UserError(
          `--${flag} ${quoteRejected(value, HARMLESS.word)} is not ${spec.what} this tool knows; use one of ${choices.join(", ")}, for example --${flag} ${choices[0]}.`,
        );
      }
      return found;
    },
  };
}

/** A value a user typed, quoted in an error: one line, and never longer than a short word. */

type CamelKeys<T> = { [K in keyof T as CamelCaseKey<K>]: T[K] };
type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/**
 * The camelCase view of a set of options, as a handler's argv carries it, inferred from the
 * options themselves; flags that may be absent are optional keys, so pure functions that take
 * these values can be called with a literal in tests.
 */
export type FlagValues<O extends Record<string, Options>> = {
  [K in Exclude<keyof CamelKeys<InferredOptionTypes<O>>, OptionalKeys<CamelKeys<InferredOptionTypes<O>>>>]: CamelKeys<InferredOptionTypes<O>>[K];
} & {
  [K in OptionalKeys<CamelKeys<InferredOptionTypes<O>>>]?: CamelKeys<InferredOptionTypes<O>>[K];
};
