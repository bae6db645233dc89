/**
 * The one redaction rule of the process. Every secret the process learns (a client secret read
 * from a connector file or the environment, a Nexxt API token, an access token Microsoft issued,
 * the bearer of any request the http layer sends) is registered here, in every encoding it can
 * come back in, and every text that leaves the process (stdout, stderr, --json, journals, written
 * files, error messages) goes through `redact`. Servers echo requests in their errors (an AADSTS
 * description quoting `client_secret`, an HTML page with the form, a 401 quoting the bearer), so
 * redaction cannot be left to the place that builds a message: it happens before any text is cut
 * to length, and once more at the output boundary (src/cli/io.ts).
 *
 * The registry lives on globalThis, not in a module variable: Pulumi serializes dynamic providers
 * with the functions they call and copies captured module state by value (see sendWithRetry.ts).
 */
const REGISTRY_KEY = "__nexxtOffice365Secrets";
export const REDACTED = "[redacted]";

/** Shorter values would garble ordinary text (and no real secret or token is this short). */
const MIN_SECRET_LENGTH = 6;

/**
 * A piece of a secret this long is masked wherever it appears, not only the whole secret: a
 * server that echoes the secret cut short by a few characters (a field limit, a truncated log
 * line) must not get through. 12 characters because a Microsoft client secret is 40 characters
 * of a ~64-symbol alphabet (~6 bits each), so what a shorter piece gives away (< 72 bits) leaves
 * far more than anyone can guess, while a real 12-character piece of a random secret does not
 * turn up in ordinary text by chance (2^-72). A secret shorter than 16 characters is masked
 * only whole: pieces of it would be ordinary words ("secret" in "[secret]").
 */
const PIECE_LENGTH = 12;

/** A piece with fewer distinct characters ("============", "%252525252525") says nothing of a secret. */
const MIN_DISTINCT_IN_PIECE = 5;

interface Registry {
  /** The secrets registered, as given. */
  secrets: string[];
  /** Every piece to mask, by length: the pieces of every form of every secret. */
  pieces: Map<number, PieceSet>;
}

function registry(): Registry {
  const holder = globalThis as { [REGISTRY_KEY]?: Registry };
  return (holder[REGISTRY_KEY] ??= { secrets: [], pieces: new Map() });
}

/**
 * The pieces of one length, and the hashes of their anchors: every stretch of `anchor`
 * characters in them. A piece in a text always holds a whole anchor starting at a multiple of
 * `stride` (length - anchor + 1), so a scan reads only there and looks closer on a hit: a text
 * that holds no secret (100,000 mapping rows) costs one hash per `stride` characters.
 */
interface PieceSet {
  pieces: Set<string>;
  anchor: number;
  stride: number;
  anchors: Set<number>;
}

/** FNV-1a over UTF-16 code units: collisions only cost a closer look. */
function hashAt(text: string, start: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let at = start; at < start + length; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 16777619);
  return hash >>> 0;
}

function pieceLength(secret: string): number {
  return secret.length < PIECE_LENGTH + 4 ? secret.length : PIECE_LENGTH;
}

const htmlEscape = (text: string, apostrophe: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, apostrophe);
const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
const unicodeEscape = (char: string, upper: boolean) => {
  const hex = char.charCodeAt(0).toString(16).padStart(4, "0");
  return `\\u${upper ? hex.toUpperCase() : hex}`;
};

/**
 * One encoding a secret can be echoed in: URL-encoded (encodeURIComponent's and the form
 * encoding URLSearchParams uses, with `+` for a space, upper and lower case hex), JSON-escaped
 * (as JSON.stringify, with `\/`, and as .NET's System.Text.Json writes it by default, `+ & < > '`
 * and non-ASCII as \uXXXX, which Microsoft's answers use), HTML-escaped, base64 (standard,
 * unpadded, URL-safe, and as it reads inside a longer base64 text).
 */
const ENCODINGS: readonly ((text: string) => string)[] = [
  (t) => encodeURIComponent(t),
  (t) => lowerHex(encodeURIComponent(t)),
  (t) => encodeURIComponent(t).replace(/%20/g, "+"),
  (t) => new URLSearchParams({ v: t }).toString().slice(2),
  (t) => lowerHex(new URLSearchParams({ v: t }).toString().slice(2)),
  (t) => JSON.stringify(t).slice(1, -1),
  (t) => JSON.stringify(t).slice(1, -1).replace(/\//g, "\\/"),
  (t) =>
    JSON.stringify(t)
      .slice(1, -1)
      .replace(/[+&<>'`\u0080-\uffff]/g, (c) => unicodeEscape(c, true)),
  (t) =>
    JSON.stringify(t)
      .slice(1, -1)
      .replace(/[+&<>'`\u0080-\uffff]/g, (c) => unicodeEscape(c, false)),
  (t) => htmlEscape(t, "&#39;"),
  (t) => htmlEscape(t, "&#x27;"),
  (t) => Buffer.from(t, "utf8").toString("base64"),
  (t) => Buffer.from(t, "utf8").toString("base64").replace(/=+$/, ""),
  (t) => Buffer.from(t, "utf8").toString("base64url"),
  // Inside a longer text (`Basic base64(user:secret)`, a base64 form body) the secret starts 1
  // or 2 bytes into a 3-byte group: its characters then read differently, from the first one
  // that holds the secret's bits alone.
  (t) => shiftedBase64(t, 1, "base64"),
  (t) => shiftedBase64(t, 2, "base64"),
  (t) => shiftedBase64(t, 1, "base64url"),
  (t) => shiftedBase64(t, 2, "base64url"),
];

function shiftedBase64(text: string, shift: 1 | 2, alphabet: "base64" | "base64url"): string {
  return Buffer.concat([Buffer.alloc(shift), Buffer.from(text, "utf8")])
    .toString(alphabet)
    .slice(shift === 1 ? 2 : 3)
    .replace(/=+$/, "");
}

/** What a server that decodes once more than it should makes of a secret: percent- and form-decoded. */
function decodings(text: string): string[] {
  const out: string[] = [];
  for (const decode of [(t: string) => decodeURIComponent(t), (t: string) => decodeURIComponent(t.replace(/\+/g, " "))]) {
    try {
      const once = decode(text);
      out.push(once);
      out.push(decode(once));
    } catch {
      // Not valid percent-encoding: no server decodes it either.
    }
  }
  return out;
}

/**
 * The forms a secret takes on the wire and in the answers that echo it: as it is and decoded once
 * or twice (a server that decodes once more than it should), each of those raw and in every
 * ENCODINGS form, and each of those encoded once more (percent-encoded twice, base64 of the form
 * body, a JSON-escaped form body...).
 */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>();
  for (const base of new Set([secret, ...decodings(secret)])) {
    forms.add(base);
    // Most encodings leave a token's characters as they are (a JWT is letters, digits, - _ .):
    // each distinct result is encoded again once, and one equal to its base not at all.
    for (const once of new Set(ENCODINGS.map((encode) => encode(base)))) {
      forms.add(once);
      if (once !== base) for (const again of ENCODINGS) forms.add(again(once));
    }
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Adds a secret (in all its forms, and every long piece of them) to the process-wide registry. Safe to call repeatedly. */
export function registerSecret(secret: string | undefined | null): void {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return;
  const reg = registry();
  if (reg.secrets.includes(secret)) return;
  reg.secrets.push(secret);
  const length = pieceLength(secret);
  const counts = new Uint16Array(0x10000);
  for (const form of encodedForms(secret)) {
    const size = Math.min(length, form.length);
    let set = reg.pieces.get(size);
    if (set === undefined) {
      const anchor = Math.max(1, Math.min(4, Math.floor(size / 2)));
      reg.pieces.set(size, (set = { pieces: new Set(), anchor, stride: size - anchor + 1, anchors: new Set() }));
    }
    // The window's characters counted as it slides, for the distinct-character rule.
    let distinct = 0;
    const enter = (code: number) => (counts[code]++ === 0 ? distinct++ : undefined);
    const leave = (code: number) => (--counts[code] === 0 ? distinct-- : undefined);
    for (let at = 0; at < size - 1 && at < form.length; at++) enter(form.charCodeAt(at));
    for (let at = 0; at + size <= form.length; at++) {
      enter(form.charCodeAt(at + size - 1));
      if (at > 0) leave(form.charCodeAt(at - 1));
      if (distinct >= Math.min(MIN_DISTINCT_IN_PIECE, size)) set.pieces.add(form.slice(at, at + size));
    }
    for (let at = 0; at < form.length; at++) counts[form.charCodeAt(at)] = 0;
    // A piece's anchors are the form's own stretches of that length (a few more than needed at
    // the ends of a low-diversity stretch: they only cost a closer look).
    for (let at = 0; at + set.anchor <= form.length; at++) set.anchors.add(hashAt(form, at, set.anchor));
  }
}

/** Masks every registered secret in a text. */
export function redact(text: string): string {
  return maskPieces(text, registry().pieces);
}

/**
 * Masks the registered secrets and the given ones (all their forms). The extra ones are
 * registered too: a secret worth masking once is worth masking everywhere.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  for (const secret of secrets) registerSecret(secret);
  return redact(text);
}

/** A parsed body (JSON value) with every string in it redacted; shape and non-strings kept. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item)) as T;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[redact(key)] = redactDeep(item);
    return out as T;
  }
  return value;
}

/** Redacts first, then cuts: a cut made first could split a secret and let its prefix through. */
export function redactAndTruncate(text: string, maxChars: number): string {
  return redact(text).slice(0, maxChars);
}

/** For tests only: forget every registered secret. */
export function clearSecretRegistry(): void {
  const reg = registry();
  reg.secrets = [];
  reg.pieces = new Map();
}

/**
 * Every stretch of the text covered by registered pieces becomes one REDACTED: a whole form is
 * covered by its overlapping pieces, and so is any part of it at least a piece long. One pass per
 * piece length (one or two in practice), whatever the number of secrets and forms.
 */
function maskPieces(text: string, pieces: Map<number, PieceSet>): string {
  let covered: Uint8Array | undefined;
  for (const [size, set] of pieces) {
    let checkedUpTo = -1;
    for (let anchorAt = 0; anchorAt + set.anchor <= text.length; anchorAt += set.stride) {
      if (!set.anchors.has(hashAt(text, anchorAt, set.anchor))) continue;
      // Every piece-long window that holds this anchor, each looked at once.
      for (let at = Math.max(0, anchorAt - (size - set.anchor), checkedUpTo + 1); at <= anchorAt && at + size <= text.length; at++) {
        checkedUpTo = at;
        if (!set.pieces.has(text.slice(at, at + size))) continue;
        covered ??= new Uint8Array(text.length);
        covered.fill(1, at, at + size);
      }
    }
  }
  if (covered === undefined) return text;
  let out = "";
  for (let at = 0; at < text.length;) {
    if (covered[at] === 1) {
      while (at < text.length && covered[at] === 1) at++;
      out += REDACTED;
    } else {
      const start = at;
      while (at < text.length && covered[at] !== 1) at++;
      out += text.slice(start, at);
    }
  }
  return out;
}

/**
 * Shapes of a value that cannot be a secret, for quoteRejected: a number, a date, a word, an
 * environment variable name, a file path, a column name.
 */
export const HARMLESS = {
  number: /^[-+]?[0-9][0-9.,_eE+-]{0,19}$/,
  date: /^[A-Za-z0-9 ,./-]{1,24}$/,
  host: /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/,
  url: /^https?:\/\/[^\s/?#@]+(\/[^\s?#@]*)?$/,
  word: /^[A-Za-z][A-Za-z0-9_-]{0,39}$/,
  envName: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
  path: /^[\w./\\: ~-]{1,240}$/,
  column: /^[\p{L}\p{N} _.()#/-]{1,60}$/u,
} as const;

/**
 * A run of letters and digits as random secrets have and words do not: 12 or more mixing letters
 * and digits, or 24 or more of any.
 */
function looksRandom(text: string): boolean {
  return /[A-Za-z0-9]{24,}/.test(text) || (text.match(/[A-Za-z0-9]{12,}/g) ?? []).some((run) => /\d/.test(run) && /[A-Za-z]/.test(run));
}

/**
 * A value the user gave, for the error that refuses it. What fails a check may be a secret in the
 * wrong place (the API token pasted as --client-id or as the name of its variable, a secret file
 * given as the export), and the secret may be one the process never registered. So a refused
 * value is quoted only when it cannot be one: shorter than any secret the registry masks, or of
 * the harmless shape the caller names without a random-looking run in it, and untouched by the
 * redactor. Anything else is described by its length. Control characters show as `?`.
 * `bare`: without the quotes, for a name that reads as one (an environment variable).
 */
export function quoteRejected(value: unknown, shape?: RegExp, bare = false): string {
  const text = String(Array.isArray(value) ? value[value.length - 1] : value);
  const harmless = text.length < MIN_SECRET_LENGTH || (shape !== undefined && shape.test(text) && !looksRandom(text));
  if (harmless && redact(text) === text) {
    const visible = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
    return bare ? visible : `'${visible}'`;
  }
  return `(${text.length} characters, not shown: a value in the wrong place may be a secret)`;
}
