/**
 * Microsoft Graph's error body: { "error": { "code", "message", "innerError": { "date", "request-id",
 * "client-request-id" } } } (https://learn.microsoft.com/graph/errors).
 */
export interface GraphError {
  code: string;
  message: string;
  requestId: string | undefined;
  date: string | undefined;
}

export function parseGraphError(body: unknown): GraphError | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as Record<string, unknown>).error;
  if (typeof error !== "object" || error === null) return undefined;
  const record = error as Record<string, unknown>;
  if (typeof record.code !== "string") return undefined;
  const inner = (typeof record.innerError === "object" && record.innerError !== null ? record.innerError : {}) as Record<string, unknown>;
  return {
    code: record.code,
    message: typeof record.message === "string" ? record.message : "",
    requestId: typeof inner["request-id"] === "string" ? inner["request-id"] : undefined,
    date: typeof inner.date === "string" ? inner.date : undefined,
  };
}
