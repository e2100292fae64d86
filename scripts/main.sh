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

# True unless the stack's config turns the sandbox off (the lab then manages the real host).
sandboxed() {
    local file="Pulumi.$1.yaml"
    [[ ! -f "$file" ]] || ! grep -Eq '^\s*netplumb-lab:sandbox:\s*"?false"?\s*$' "$file"
}

# The public lab passphrase protects nothing: only a sandboxed stack may use it.
if [[ -z "${PULUMI_CONFIG_PASSPHRASE:-}" && -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]]; then
    if ! sandboxed "$STACK"; then
        echo "lab: stack $STACK manages this host (sandbox: false); set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to a secret of your own (the built-in passphrase is public and only for sandboxed labs and tests)" >&2
        exit 2
    fi
    export PULUMI_CONFIG_PASSPHRASE="$NETPLUMB_LAB_PASSPHRASE"
fi

bash scripts/setup.sh
bash scripts/pack.sh examples/lab
# Type-check the lab's program once here, then let the engine only transpile it
# (what the README recommends): Pulumi's default type-check costs every command
# about 1.6 s more (npm run bench, the engine's floor).
npx tsc -p tsconfig.examples.json
export PULUMI_NODEJS_TRANSPILE_ONLY="${PULUMI_NODEJS_TRANSPILE_ONLY:-true}"
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
