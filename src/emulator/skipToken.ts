/**
 * The stand-in's `$skiptoken`: an opaque base64url text to the client (as Graph's is), holding the
 * offset of the next page. One home for both collections that page (users, and the directory
 * endpoints preflight reads).
 */
export function skipTokenOffset(url: URL): number {
  const skipToken = url.searchParams.get("$skiptoken");
  return skipToken
    ? Number(
        Buffer.from(skipToken, "base64url")
          .toString()
          .replace(/^offset:/, ""),
      )
    : 0;
}

export function skipTokenFor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}
