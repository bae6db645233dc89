/**
 * The error body of the Microsoft Entra token endpoint, e.g.
 * { "error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret ...\r\nTrace ID: ...",
 *   "error_codes": [7000215], "timestamp": "...", "trace_id": "...", "correlation_id": "...", "error_uri": "..." }
 * Shape: https://learn.microsoft.com/entra/identity-platform/reference-error-codes ("Handling error codes").
 */
export interface LoginError {
  /** The OAuth error string: invalid_client, invalid_request, unauthorized_client... */
  error: string;
  /** AADSTS numbers, from error_codes or, failing that, the description's "AADSTSnnnn:" prefix. */
  codes: number[];
  /** The first line of error_description (the rest is trace data repeated below). */
  description: string;
  traceId: string | undefined;
  correlationId: string | undefined;
  timestamp: string | undefined;
}

export function parseLoginError(body: unknown): LoginError | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.error !== "string") return undefined;
  const descriptionText = typeof record.error_description === "string" ? record.error_description : "";
  const fromList = Array.isArray(record.error_codes) ? record.error_codes.filter((code): code is number => typeof code === "number" && Number.isInteger(code)) : [];
  const fromText = /^AADSTS(\d+):/.exec(descriptionText);
  const codes = fromList.length > 0 ? fromList : fromText ? [Number(fromText[1])] : [];
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return {
    error: record.error,
    codes,
    description: descriptionText.split(/\r?\n/)[0].trim(),
    traceId: text(record.trace_id),
    correlationId: text(record.correlation_id),
    timestamp: text(record.timestamp),
  };
}
