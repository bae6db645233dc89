/**
 * The @odata.nextLink of a Graph collection page read from the raw JSON text, without parsing the
 * page: the next page can then be requested before this one (999 users, ~280 KB) is parsed.
 *
 * Graph writes the link before the items: `{"@odata.context": "...", "@odata.nextLink": "...",
 * "value": [...]}` (https://learn.microsoft.com/graph/paging, and its example response). OData's
 * JSON format also lets a service put it after the array, so this only reads the members before
 * "value" and answers undefined when it cannot tell (the link is not among them, a member is not a
 * string, the text is not an object): the caller then parses the page in full, as before.
 */
export function leadingNextLink(text: string): string | undefined {
  const scan = new JsonPrefixScanner(text);
  if (!scan.take("{")) return undefined;
  for (;;) {
    const name = scan.string();
    if (name === undefined || name === "value" || !scan.take(":")) return undefined;
    const value = scan.string();
    if (value === undefined) return undefined;
    if (name === "@odata.nextLink") return value;
    if (!scan.take(",")) return undefined;
  }
}

/** Reads JSON tokens one by one from the start of a text; only what leadingNextLink needs. */
class JsonPrefixScanner {
  private at = 0;
  private static readonly STRING = /"(?:[^"\\\u0000-\u001f]|\\.)*"/y;

  constructor(private readonly text: string) {}

  /** Skips whitespace, then consumes `char` if it is next. */
  take(char: string): boolean {
    this.skipSpace();
    if (this.text[this.at] !== char) return false;
    this.at++;
    return true;
  }

  /** A JSON string literal, decoded (escapes such as \/ and \u0026 included), or undefined. */
  string(): string | undefined {
    this.skipSpace();
    const pattern = JsonPrefixScanner.STRING;
    pattern.lastIndex = this.at;
    const match = pattern.exec(this.text);
    if (match === null) return undefined;
    this.at = pattern.lastIndex;
    try {
      return JSON.parse(match[0]) as string;
    } catch {
      return undefined;
    }
  }

  private skipSpace(): void {
    while (this.at < this.text.length && " \t\r\n".includes(this.text[this.at])) this.at++;
  }
}
