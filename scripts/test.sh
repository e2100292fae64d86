#!/usr/bin/env bash
# The test command: sets up a fresh clone (as root), packs netplumb as users
# install it, then runs every suite in one mocha run: unit (no root),
# integration (real namespaces, root) and end-to-end (the real pulumi CLI).
# A suite that cannot run is skipped with a reason, except with CI=true,
# where it fails. The last line is "N passed, N failed, N skipped".
# The end-to-end suites include the kill -9 suite (test/e2e/crash.test.ts,
# a few minutes; `npm run test:crash` runs it alone) and the cluster suites
# (a real control plane started by test/support/cluster.ts).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NETPLUMB_ROOT"

if [[ "$(id -u)" == 0 ]]; then
    bash scripts/setup.sh
else
    echo "test: not root: skipping system set-up; integration and end-to-end suites will be skipped" >&2
    [[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
    npx tsc -p tsconfig.build.json
fi
echo "test: set-up took ${SECONDS} s"
SECONDS=0
npx tsc -p tsconfig.json --noEmit
# The examples and the bench program, type-checked here once: the end-to-end
# suites run them transpile-only (PULUMI_NODEJS_TRANSPILE_ONLY, set by
# test/support/engine.ts), which saves the engine's type-check on every command.
npx tsc -p tsconfig.examples.json
echo "test: type-checks took ${SECONDS} s"
SECONDS=0
npx eslint sdk providers test bench
npx prettier --check --log-level warn sdk providers test bench
# The API reference (TypeDoc, into .tools/api-docs): any warning (a broken link, an exported type it cannot show) fails.
npx typedoc --logLevel Warn
echo "test: lint, format check and API docs took ${SECONDS} s"
SECONDS=0
# The language host's own tests (plugin discovery, package manager choice), when Go is there to run them.
if command -v go >/dev/null; then
    (cd tools/engine && go vet ./langhost && go test ./langhost)
    echo "test: language host (go test) took ${SECONDS} s"
elif [[ "${CI:-}" == "true" ]]; then
    echo "test: Go is needed for the language host's tests" >&2
    exit 1
fi
npx mocha --config test/.mocharc.json \
    'test/unit/**/*.test.ts' 'test/integration/**/*.test.ts' 'test/e2e/**/*.test.ts'
