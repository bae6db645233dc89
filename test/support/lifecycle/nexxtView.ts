import * as fs from "node:fs";
import type { FakeNexxt } from "../../fakes/nexxtServer";

/**
 * What Nexxt holds: the apiKey of the last configuration pushed to it (at once), or the one in
 * the connector file as a person copied it `deliveryDays` after the file last changed.
 */
export class NexxtView {
  private readonly fileVersions: { day: number; apiKey: string }[] = [];
  private pushedKey?: string;

  constructor(private readonly source: { file: string; deliveryDays: number } | { push: FakeNexxt }) {}

  /** Called after every run, on the day it ran. */
  observe(day: number): void {
    if ("push" in this.source) {
      const puts = this.source.push.requests.filter((r) => r.method === "PUT");
      const last = puts[puts.length - 1];
      if (last) this.pushedKey = (JSON.parse(last.body) as { apiKey: string }).apiKey;
      return;
    }
    if (!fs.existsSync(this.source.file)) return;
    const apiKey = (JSON.parse(fs.readFileSync(this.source.file, "utf8")) as { apiKey: string }).apiKey;
    const latest = this.fileVersions[this.fileVersions.length - 1];
    if (latest?.apiKey !== apiKey) this.fileVersions.push({ day, apiKey });
  }

  /** The secret Nexxt signs in with on `day`; undefined before it has received any. */
  heldOn(day: number): string | undefined {
    const source = this.source;
    if ("push" in source) return this.pushedKey;
    const delivered = this.fileVersions.filter((v) => v.day + source.deliveryDays <= day);
    // Before the first copy, nothing; a version superseded before it was copied is skipped.
    return delivered[delivered.length - 1]?.apiKey;
  }
}
