/**
 * An access token that cannot leak by accident: the value lives in a private field, so
 * JSON.stringify, util.inspect, template strings and error serialisers never see it. Only
 * `authorizationHeader()` hands it out, for the one place that needs it.
 */
export class BearerToken {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  authorizationHeader(): string {
    return `Bearer ${this.#value}`;
  }

  /** For decoding our own claims; never print the result. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return "[access token]";
  }

  toString(): string {
    return "[access token]";
  }
}
