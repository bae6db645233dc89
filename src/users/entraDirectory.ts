import type { GraphClient } from "../graph/graphClient";
import { ENTRA_USER_SELECT, EntraUser } from "./entraUser";
import type { EntraUserMatcher } from "./userMatching";

/** Graph's largest page for /users (https://learn.microsoft.com/graph/paging: $top 1..999). */
export const USERS_PAGE_SIZE = 999;

export const ENTRA_USERS_PATH = `/v1.0/users?$select=${ENTRA_USER_SELECT}&$top=${USERS_PAGE_SIZE}`;

/**
 * Reads every Entra user, page after page, straight into the matcher: each page is dropped as
 * soon as it is matched (while the next one is on its way), so memory holds only the hits.
 */
export async function readEntraDirectory(graph: GraphClient, matcher: EntraUserMatcher, onPage?: (usersSoFar: number) => void): Promise<void> {
  for await (const page of graph.pages<EntraUser>(ENTRA_USERS_PATH)) {
    for (const user of page) matcher.add(user);
    onPage?.(matcher.seen);
  }
}
