#!/usr/bin/env bash
# Proves that a production install works (not a test: it needs the npm registry and ~1 min):
# a copy of the committed tree (git archive HEAD, so nothing from this checkout's node_modules or
# dist/) gets `npm ci --omit=dev`, which builds dist/ through `prepare` with the TypeScript and
# type packages that are dependencies for that reason; then the CLI and the Pulumi entry run.
#   bash scripts/check-production-install.sh
set -euo pipefail
cd "$(dirname "$0")/.."
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
git archive HEAD | tar -x -C "$copy"
cd "$copy"
npm ci --omit=dev --no-audit --no-fund
for dev in jest eslint puppeteer-core; do
  if [ -e "node_modules/$dev" ]; then echo "node_modules/$dev is there: not a production install" >&2; exit 1; fi
done
bin/nexxt-onboard --version
bin/nexxt-onboard plan --stack example > /dev/null
bin/nexxt-onboard validate > /dev/null
# The Pulumi entry loads the compiled program and its SDKs; outside the engine it has no stack
# configuration, and says so (a missing module would say something else).
if node -e 'require("./bin/pulumi-program.js")' > entry.log 2>&1; then
  echo "bin/pulumi-program.js ran without a stack's configuration" >&2
  exit 1
fi
grep -q "The stack configuration has" entry.log || { cat entry.log >&2; exit 1; }
echo "production install: ok (npm ci --omit=dev, then the CLI and the program's entry)"
