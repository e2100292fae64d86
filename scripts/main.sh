#!/usr/bin/env bash
# The main job (run as root): set up a fresh clone, `pulumi up` the root
# project (the sandboxed lab in examples/lab) as stack "lab", then test it:
# every member pair, every member towards the emulated internet's TCP
# 80/443/22 and a DNS lookup, compared with the declared policy.
#   bash scripts/main.sh          up + check (npm run lab)
#   bash scripts/main.sh destroy  tear the lab down (npm run lab:destroy)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$NETPLUMB_ROOT"
STACK="${NETPLUMB_STACK:-lab}"

bash scripts/setup.sh
bash scripts/pack.sh examples/lab
pulumi stack select "$STACK" 2>/dev/null || pulumi stack init "$STACK"
if [[ "${1:-up}" == "destroy" ]]; then
    pulumi destroy --yes --non-interactive --skip-preview
    exit 0
fi
start=$(date +%s%N)
pulumi up --yes --non-interactive --skip-preview
echo "lab: up took $(( ($(date +%s%N) - start) / 1000000 )) ms"
start=$(date +%s%N)
node dist/sdk/cli.js check --stack "$STACK"
echo "lab: check took $(( ($(date +%s%N) - start) / 1000000 )) ms"
