import { setImmediate } from "node:timers/promises";
import { HttpError } from "../http/httpError";
import { HttpClientOptions, HttpRequest, RESPONSE_LIMITS, sendWithRetry } from "../http/sendWithRetry";
import { BearerToken } from "../util/bearerToken";
import { GraphError, parseGraphError } from "./graphError";
import { leadingNextLink } from "./leadingNextLink";

/** A Graph call failed after retries; carries the parsed Graph error, never the token. */
export class GraphRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly graphError: GraphError | undefined,
    readonly networkCode: string | undefined,
  ) {
    super(message);
    this.name = "GraphRequestError";
  }

  get unreachable(): boolean {
    return this.status === undefined || this.status >= 500 || this.status === 429;
  }
}

/** One page's request in flight. */
interface PageFetch {
  /** The page's @odata.nextLink once its first bytes show it; undefined when they do not (or the request failed). */
  leadingLink: Promise<string | undefined>;
  text: Promise<string>;
  abandon(): void;
}

interface CollectionPage<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

export const DEFAULT_PAGE_BUDGET = 10_000;

/** A Graph answer that must be a JSON object. */
function parseObject<T>(text: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const what = /^\s*</.test(text) ? "an HTML page" : "not JSON";
    throw new GraphRequestError(
      `Graph answered 2xx with ${what}, not a JSON object; something other than Graph answers at this address (check --graph-url, a proxy or a captive portal)`,
      200,
      undefined,
      undefined,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GraphRequestError("Graph answered 2xx with JSON that is not an object", 200, undefined, undefined);
  }
  return value as T;
}

function parsePage<T>(text: string): CollectionPage<T> {
  let page: unknown;
  try {
    page = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the start of the text.
    const what = /^\s*</.test(text) ? "an HTML page" : "text";
    throw new GraphRequestError(
      `Graph answered a page that is not JSON (${what}); something other than Graph answers at this address (check --graph-url, a proxy or a captive portal)`,
      200,
      undefined,
      undefined,
    );
  }
  if (typeof page !== "object" || page === null || Array.isArray(page)) {
    throw new GraphRequestError("Graph answered a page that is not a JSON object with a value list", 200, undefined, undefined);
  }
  return page as CollectionPage<T>;
}

/**
 * A small Microsoft Graph reader: GET with the bearer token through the shared http layer (so 429
 * and 503 Retry-After, 5xx and dropped connections are retried), and collection paging that
 * follows @odata.nextLink as an opaque URL until it is absent (https://learn.microsoft.com/graph/paging).
 */
export class GraphClient {
  /** Every GET sent, retries included, for the benchmark's request count. */
  requests = 0;
  private readonly origin: string;

  constructor(
    private readonly graphRoot: string,
    private readonly token: BearerToken,
    private readonly http: HttpClientOptions,
    /** Pages one collection may have: 10,000 pages of 999 are ten million users. */
    private readonly pageBudget = DEFAULT_PAGE_BUDGET,
  ) {
    this.origin = new URL(graphRoot).origin;
  }

  /** `path` is relative to the Graph root ("/v1.0/users?$top=1"), or a nextLink. */
  async get<T>(pathOrUrl: string): Promise<T> {
    // Read as text and parsed here: a 200 that is an HTML page (a captive portal, a proxy's
    // login) is not an answer from Graph, whatever its status says.
    const text = await this.send<string>(pathOrUrl, "text", RESPONSE_LIMITS.other);
    return parseObject<T>(text);
  }

  /**
   * Yields each page's items, following @odata.nextLink to the end. The next page is requested
   * as soon as its link is known, so Graph's latency overlaps the rest of this page's transfer,
   * its parsing and the caller's work; pages still arrive strictly in order. When Graph puts the
   * link before the items (leadingNextLink), it is known from the answer's first bytes, before
   * the page has even arrived in full; otherwise once the page is parsed. A page that then fails
   * (a dropped body, not JSON, the link given twice) abandons the request made on its word.
   */
  async *pages<T>(path: string): AsyncGenerator<T[]> {
    const followed = new Set<string>([path]);
    let pageNumber = 0;
    // A nextLink seen before means Graph (or whatever answers in its place) sends us round in a
    // circle; a page budget ends one that never repeats but never ends either.
    const follow = (link: string): string => {
      if (followed.has(link)) {
        throw new GraphRequestError(
          `Graph returned, on page ${pageNumber}, a @odata.nextLink it had returned before; stopped reading, as the paging would never end`,
          undefined,
          undefined,
          undefined,
        );
      }
      if (pageNumber >= this.pageBudget) {
        throw new GraphRequestError(
          `Graph still had a next page after ${this.pageBudget} pages; stopped reading (more than any directory this tool is meant for; is the Graph URL right?)`,
          undefined,
          undefined,
          undefined,
        );
      }
      followed.add(link);
      return link;
    };
    let current: PageFetch | undefined = this.fetchPage(path);
    let next: PageFetch | undefined;
    try {
      while (current !== undefined) {
        const early: string | undefined = await current.leadingLink;
        pageNumber++;
        next = early === undefined ? undefined : await this.requestNext(follow(early));
        const text: string = await current.text;
        const leading = leadingNextLink(text);
        const page: CollectionPage<T> = parsePage<T>(text);
        const parsed: string | undefined = page["@odata.nextLink"];
        if (leading !== undefined && parsed !== leading)
          throw new GraphRequestError(
            "Graph returned a page whose @odata.nextLink is given twice, differently; cannot tell which page comes next",
            undefined,
            undefined,
            undefined,
          );
        if (page.value !== undefined && !Array.isArray(page.value)) {
          throw new GraphRequestError("Graph answered a page whose value is not a list", 200, undefined, undefined);
        }
        // The link the page holds in full is the one followed; an early one differs only when a
        // retried attempt answered another page than the attempt it was read from.
        if (parsed !== early) {
          next?.abandon();
          next = parsed === undefined ? undefined : await this.requestNext(follow(parsed));
        }
        current = next;
        next = undefined;
        yield page.value ?? [];
      }
    } finally {
      // Ended early (a failed page, a loop, a caller that stopped reading): no request outlives it.
      current?.abandon();
      next?.abandon();
    }
  }

  /**
   * Starts the next page's request and lets it leave: it is written to the socket a turn of the
   * event loop later, and parsing and matching a page would otherwise hold it back (measured:
   * 4 ms a page at 999 users).
   */
  private async requestNext(link: string): Promise<PageFetch> {
    const page = this.fetchPage(link);
    await setImmediate();
    return page;
  }

  private async send<T>(
    pathOrUrl: string,
    responseType: "text" | undefined,
    maxResponseBytes: number,
    extra: Pick<HttpRequest, "peek"> & { signal?: AbortSignal } = {},
  ): Promise<T> {
    const url = this.resolve(pathOrUrl);
    try {
      const response = await sendWithRetry<T>(
        { method: "GET", url, headers: { Authorization: this.token.authorizationHeader(), Accept: "application/json" }, responseType, maxResponseBytes, peek: extra.peek },
        {
          ...this.http,
          ...(extra.signal ? { signal: extra.signal } : {}),
          onRetry: (info) => {
            this.requests++;
            this.http.onRetry?.(info);
          },
        },
      );
      this.requests++;
      return response.data;
    } catch (err) {
      this.requests++;
      if (err instanceof HttpError) {
        throw new GraphRequestError(err.message, err.status, parseGraphError(err.body), err.code);
      }
      throw err;
    }
  }

  /**
   * A page requested as text, whose leading next link is told as soon as the answer's first
   * bytes show it. Its failure is reported where the text is awaited, not as an unhandled
   * rejection; abandoning it (or the client's own signal) ends the request.
   */
  private fetchPage(pathOrUrl: string): PageFetch {
    const stop = new AbortController();
    const outer = this.http.signal;
    const onOuterAbort = () => stop.abort();
    if (outer?.aborted) stop.abort();
    else outer?.addEventListener("abort", onOuterAbort);
    let tell!: (link: string | undefined) => void;
    const leadingLink = new Promise<string | undefined>((resolve) => (tell = resolve));
    const peek = (soFar: string): boolean => {
      const link = leadingNextLink(soFar);
      if (link !== undefined) tell(link);
      return link !== undefined;
    };
    const text = this.send<string>(pathOrUrl, "text", RESPONSE_LIMITS.graphPage, { peek, signal: stop.signal });
    // Settled by then if a peek told the link; else: no leading link, or the text tells the failure.
    void text
      .then(
        () => tell(undefined),
        () => tell(undefined),
      )
      .finally(() => outer?.removeEventListener("abort", onOuterAbort));
    return { leadingLink, text, abandon: () => stop.abort() };
  }

  private resolve(pathOrUrl: string): string {
    if (/^https?:\/\//i.test(pathOrUrl)) {
      // The bearer token goes to Graph only: a nextLink pointing elsewhere is refused, not followed.
      if (new URL(pathOrUrl).origin !== this.origin) {
        throw new GraphRequestError(`Graph returned a nextLink to another host (${new URL(pathOrUrl).origin}); refusing to send the token there`, undefined, undefined, undefined);
      }
      return pathOrUrl;
    }
    return `${this.graphRoot.replace(/\/+$/, "")}${pathOrUrl.startsWith("/") ? "" : "/"}${pathOrUrl}`;
  }
}
