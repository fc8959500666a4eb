// A found key. Printing, logging or serialising it yields the redacted form; only
// an explicit reveal() (for --show-secrets and the Ping API) gives the key itself.
import { inspect } from 'node:util';

export class Secret {
  readonly #value: string;

  constructor(
    value: string,
    readonly redacted: string,
    readonly sha256: string,
  ) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** Last four characters, as Settings > API Keys shows them. */
  get last4(): string {
    return this.#value.slice(-4);
  }

  toString(): string {
    return this.redacted;
  }

  toJSON(): string {
    return this.redacted;
  }

  [inspect.custom](): string {
    return `Secret(${this.redacted})`;
  }
}
