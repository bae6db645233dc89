import type { BearerToken } from "../util/bearerToken";
import { HttpError } from "../http/httpError";
import { isSafePathSegment } from "../identifiers";
import { HttpClientOptions, sendWithRetry } from "../http/sendWithRetry";
import type { CurrentValue } from "./applyPlan";

/** One Nexxt user could not be read or written; the message names the user, never the token. */
export class NexxtApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** The run was interrupted while this request was out (Ctrl-C, SIGTERM): neither done nor failed. */
    readonly canceled = false,
  ) {
    super(message);
    this.name = "NexxtApiError";
  }
}

/** The URL template holds `{id}`: https://pbx.example.nl/api/users/{id}. */
export function nexxtUserUrl(template: string, nexxtUserId: string): string {
  // encodeURIComponent leaves "." alone, and a path segment "." or ".." is resolved away by
  // every URL parser: /api/users/.. is /api, so a PATCH would reach the parent resource.
  if (!isSafePathSegment(nexxtUserId))
    throw new NexxtApiError(`Nexxt user ID cannot be put in a URL (it is empty, '.', '..', or holds '/', '\\' or a control character)`, undefined);
  return template.split("{id}").join(encodeURIComponent(nexxtUserId));
}

/**
 * The Nexxt user resource that holds "Extern toepassing ID". Reads with GET when the API answers
 * GET (so a re-run sends nothing for users already linked); an API that answers 405 or 501 is
 * written blind with PATCH, which is idempotent anyway.
 */
export class NexxtUserApi {
  private getSupported = true;

  constructor(
    private readonly urlTemplate: string,
    private readonly token: BearerToken,
    /** The JSON field, externalApplicationId unless --nexxt-field says otherwise. */
    private readonly field: string,
    private readonly http: HttpClientOptions,
  ) {}

  /** The resource of one user: what the journal records as the place written. */
  urlOf(nexxtUserId: string): string {
    return nexxtUserUrl(this.urlTemplate, nexxtUserId);
  }

  async read(nexxtUserId: string): Promise<CurrentValue> {
    if (!this.getSupported) return { known: false };
    const response = await this.send(nexxtUserId, "GET", undefined, (status) => status === 405 || status === 501);
    if (response.status === 405 || response.status === 501) {
      this.getSupported = false;
      return { known: false };
    }
    const record = response.data;
    const value = typeof record === "object" && record !== null ? (record as Record<string, unknown>)[this.field] : undefined;
    return { known: true, value: typeof value === "string" && value !== "" ? value : undefined };
  }

  async write(nexxtUserId: string, externalApplicationId: string): Promise<void> {
    await this.send(nexxtUserId, "PATCH", { [this.field]: externalApplicationId });
  }

  private async send(nexxtUserId: string, method: "GET" | "PATCH", data: unknown, acceptStatus?: (status: number) => boolean) {
    try {
      return await sendWithRetry<unknown>(
        {
          method,
          url: nexxtUserUrl(this.urlTemplate, nexxtUserId),
          headers: { Authorization: this.token.authorizationHeader(), Accept: "application/json", ...(data === undefined ? {} : { "Content-Type": "application/json" }) },
          data,
          acceptStatus,
          // A PATCH is judged by its status alone; a GET's record is small (RESPONSE_LIMITS.other).
          discardBody: method === "PATCH",
        },
        this.http,
      );
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.code === "ERR_CANCELED") throw new NexxtApiError(`${method} Nexxt user ${nexxtUserId}: interrupted`, undefined, true);
        const why =
          err.status === 404 ? "Nexxt has no user with this ID" : err.status === 401 || err.status === 403 ? `Nexxt refused the API token (HTTP ${err.status})` : err.message;
        throw new NexxtApiError(`${method} Nexxt user ${nexxtUserId}: ${why}`, err.status);
      }
      throw err;
    }
  }
}
