import { setImmediate } from "node:timers/promises";
import type { GraphClient } from "../graph/graphClient";
import { ENTRA_USER_SELECT, EntraUser } from "./entraUser";
import type { EntraUserMatcher } from "./userMatching";

/** Graph's largest page for /users (https://learn.microsoft.com/graph/paging: $top 1..999). */
export const USERS_PAGE_SIZE = 999;

export const ENTRA_USERS_PATH = `/v1.0/users?$select=${ENTRA_USER_SELECT}&$top=${USERS_PAGE_SIZE}`;

/**
 * Reads every Entra user, page after page, into the matcher. The matcher may still be on its way
 * (the Nexxt export is read while the first pages arrive): pages that come before it wait in a
 * queue and are matched the moment it exists; from then on each page is dropped as soon as it is
 * matched (while the next one is on its way), so memory holds only the hits. When the matcher
 * never comes (the export was refused), reading stops at the next page: the export's error is the
 * one to report, by whoever awaits it.
 */
export async function readEntraDirectory(graph: GraphClient, matcherReady: Promise<EntraUserMatcher>, onPage?: (usersSoFar: number) => void): Promise<void> {
  let matcher: EntraUserMatcher | undefined;
  let refused = false;
  const waiting: EntraUser[][] = [];
  const ready = matcherReady.then(
    async (ready) => {
      // One queued page at a time, letting the loop breathe in between: a page that arrives
      // meanwhile is read (and its successor requested) at once instead of after the whole queue.
      for (let page = waiting.shift(); page !== undefined; page = waiting.shift()) {
        for (const user of page) ready.add(user);
        await setImmediate();
      }
      matcher = ready;
    },
    () => {
      refused = true;
      waiting.length = 0;
    },
  );
  let read = 0;
  for await (const page of graph.pages<EntraUser>(ENTRA_USERS_PATH)) {
    if (refused) return;
    if (matcher !== undefined) for (const user of page) matcher.add(user);
    else waiting.push(page);
    read += page.length;
    onPage?.(read);
  }
  await ready;
}
