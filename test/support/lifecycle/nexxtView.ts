import * as fs from "node:fs";
import type { FakeNexxt } from "../../fakes/nexxtServer";

/**
 * What Nexxt holds: the apiKey of the last configuration pushed to it (at once), or the one in
 * the connector file as a person copied it `deliveryDays` after the file last changed.
 */
export class NexxtView {
  private readonly versions: { day: number; apiKey: string }[] = [];

  constructor(private readonly source: { file: string; deliveryDays: number } | { push: FakeNexxt }) {}

  /** Called after every run, on the day it ran. */
  observe(day: number): void {
    let apiKey: string | undefined;
    if ("push" in this.source) {
      const puts = this.source.push.requests.filter((r) => r.method === "PUT");
      const last = puts[puts.length - 1];
      apiKey = last && (JSON.parse(last.body) as { apiKey: string }).apiKey;
    } else if (fs.existsSync(this.source.file)) {
      apiKey = (JSON.parse(fs.readFileSync(this.source.file, "utf8")) as { apiKey: string }).apiKey;
    }
    const latest = this.versions[this.versions.length - 1];
    if (apiKey && latest?.apiKey !== apiKey) this.versions.push({ day, apiKey });
  }

  /** The secret Nexxt signs in with on `day`; undefined before it has received any. */
  heldOn(day: number): string | undefined {
    const delay = "push" in this.source ? 0 : this.source.deliveryDays;
    const delivered = this.versions.filter((v) => v.day + delay <= day);
    // Before the first copy, nothing; a version superseded before it was copied is skipped.
    return delivered[delivered.length - 1]?.apiKey;
  }
}
