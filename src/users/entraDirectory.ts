import type { GraphClient } from "../graph/graphClient";
import { ENTRA_USER_SELECT, EntraUser } from "./entraUser";
import { EntraAddressIndex } from "./userMatching";

/** Graph's largest page for /users (https://learn.microsoft.com/graph/paging: $top 1..999). */
export const USERS_PAGE_SIZE = 999;

export const ENTRA_USERS_PATH = `/v1.0/users?$select=${ENTRA_USER_SELECT}&$top=${USERS_PAGE_SIZE}`;

/**
 * Reads every Entra user, page after page, straight into the address index: the page objects
 * are dropped as soon as they are indexed, so memory holds addresses and IDs only.
 */
export async function readEntraDirectory(graph: GraphClient, onPage?: (usersSoFar: number) => void): Promise<EntraAddressIndex> {
  const index = new EntraAddressIndex();
  for await (const page of graph.pages<EntraUser>(ENTRA_USERS_PATH)) {
    for (const user of page) index.add(user);
    onPage?.(index.size);
  }
  return index;
}
