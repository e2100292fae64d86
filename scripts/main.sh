#!/usr/bin/env bash
# The main job: set up a fresh clone, then `pulumi up` the root project (the
# sandboxed example lab in examples/basic) as stack "lab" and print its
# outputs. Run as root. `bash scripts/main.sh destroy` tears it down.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NETPLUMB_ROOT"
STACK="${NETPLUMB_STACK:-lab}"

bash scripts/setup.sh
bash scripts/pack.sh examples/basic
pulumi stack select "$STACK" 2>/dev/null || pulumi stack init "$STACK"
if [[ "${1:-up}" == "destroy" ]]; then
    pulumi destroy --yes --non-interactive
    exit 0
fi
pulumi up --yes --non-interactive --skip-preview
pulumi stack output
