"use strict";
// Preloaded (node -r) by bench-map-users into the real CLI process, `node bin/nexxt-onboard map-users ...`:
// at exit it writes that process's peak RSS and lifetime to the file named by BENCH_REPORT_FILE.
// Plain JavaScript so it loads before ts-node and measures everything the command costs.
const { writeFileSync } = require("node:fs");

const file = process.env.BENCH_REPORT_FILE;
if (file) {
  process.on("exit", () => {
    writeFileSync(file, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, lifetimeMs: Math.round(process.uptime() * 1000) }));
  });
}
