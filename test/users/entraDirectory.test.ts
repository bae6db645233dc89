import { GraphClient } from "../../src/graph/graphClient";
import { requestClientCredentialsToken } from "../../src/graph/tokenClient";
import type { EntraUser } from "../../src/users/entraUser";
import { readEntraDirectory } from "../../src/users/entraDirectory";
import { EntraUserMatcher } from "../../src/users/userMatching";
import { APP_ID, SECRET, TENANT_ID, tenant } from "../emulator/fixtures";
import { MicrosoftEmulator, startMicrosoftEmulator } from "../../src/emulator/microsoftEmulator";

const USERS = 999 * 5 + 7; // six pages
const make = (i: number): EntraUser => ({ id: `obj-${i}`, mail: `user${i}@contoso.nl`, userPrincipalName: `u${i}@contoso.nl`, proxyAddresses: [], accountEnabled: true });
const nexxt = [0, 998, 999, 2500, USERS - 1].map((i) => ({ id: `N${i}`, name: "", email: `USER${i}@contoso.nl` }));

let ms: MicrosoftEmulator | undefined;
afterEach(async () => {
  await ms?.close();
  ms = undefined;
});

async function graphOn(emulator: MicrosoftEmulator): Promise<GraphClient> {
  const http = { timeoutMs: 5000 };
  const issued = await requestClientCredentialsToken(
    { tokenEndpoint: `${emulator.url}/${TENANT_ID}/oauth2/token`, clientId: APP_ID, clientSecret: SECRET, resource: emulator.url },
    http,
  );
  return new GraphClient(emulator.url, issued.token, http);
}

/** A matcher promise the test settles by hand, after some pages were read. */
function later() {
  let settle!: { resolve: (m: EntraUserMatcher) => void; reject: (e: Error) => void };
  const promise = new Promise<EntraUserMatcher>((resolve, reject) => (settle = { resolve, reject }));
  return { promise, ...settle };
}

describe("readEntraDirectory", () => {
  it("queues the pages read before the matcher exists and matches them as if it had been there from the start", async () => {
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: { count: USERS, make } })] });
    const graph = await graphOn(ms);
    const matcher = later();
    const progress: number[] = [];
    const done = readEntraDirectory(graph, matcher.promise, (count) => {
      progress.push(count);
      if (progress.length === 3) matcher.resolve(new EntraUserMatcher(nexxt));
    });
    await done;
    const rows = (await matcher.promise).rows();
    expect(rows.map((row) => [row.nexxtUserId, row.externalApplicationId, row.status])).toEqual(nexxt.map((n) => [n.id, `obj-${n.id.slice(1)}`, "matched"]));
    expect(progress).toEqual([999, 1998, 2997, 3996, 4995, USERS]);
    expect((await matcher.promise).seen).toBe(USERS);
  });

  it("stops reading when the matcher is refused (a bad export), leaving the export's error to its caller", async () => {
    ms = await startMicrosoftEmulator({ tenants: [tenant({ users: { count: USERS, make } })] });
    const graph = await graphOn(ms);
    const matcher = later();
    let pages = 0;
    await readEntraDirectory(graph, matcher.promise, () => {
      if (++pages === 2) matcher.reject(new Error("users.csv line 9: Nexxt user ID '1' appears again"));
    });
    expect(pages).toBe(2);
    // The two pages read, and at most the one already requested when the refusal came.
    expect(ms.stats.graphRequests).toBeLessThanOrEqual(3);
  });
});
