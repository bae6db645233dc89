import { HttpError } from "../http/httpError";
import { HttpClientOptions, sendWithRetry } from "../http/sendWithRetry";
import { BearerToken } from "./bearerToken";
import { GraphError, parseGraphError } from "./graphError";

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

interface CollectionPage<T> {
  value?: T[];
  "@odata.nextLink"?: string;
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
  ) {
    this.origin = new URL(graphRoot).origin;
  }

  /** `path` is relative to the Graph root ("/v1.0/users?$top=1"), or a nextLink. */
  async get<T>(pathOrUrl: string): Promise<T> {
    const url = this.resolve(pathOrUrl);
    try {
      const response = await sendWithRetry<T>(
        { method: "GET", url, headers: { Authorization: this.token.authorizationHeader(), Accept: "application/json" } },
        {
          ...this.http,
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
   * Yields each page's items, following @odata.nextLink to the end. The next page is requested
   * as soon as its link is known, before the caller works through the current page, so the
   * caller's work overlaps Graph's latency; pages still arrive strictly in order.
   */
  async *pages<T>(path: string): AsyncGenerator<T[]> {
    let pending: Promise<CollectionPage<T>> | undefined = this.prefetch<CollectionPage<T>>(path);
    while (pending !== undefined) {
      const page: CollectionPage<T> = await pending;
      const next = page["@odata.nextLink"];
      pending = next !== undefined ? this.prefetch<CollectionPage<T>>(next) : undefined;
      yield page.value ?? [];
    }
  }

  /** A request whose failure is reported where it is awaited, not as an unhandled rejection. */
  private prefetch<T>(pathOrUrl: string): Promise<T> {
    const request = this.get<T>(pathOrUrl);
    request.catch(() => undefined);
    return request;
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
