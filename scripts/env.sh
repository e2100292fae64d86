# Sourced by every script: the repository root, the offline Pulumi settings
# from config/offline.env, and the locally built engine first on PATH.
NETPLUMB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NETPLUMB_ROOT
while IFS='=' read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    if [[ -z "${!key:-}" ]]; then
        export "$key=${value//\{root\}/$NETPLUMB_ROOT}"
    fi
done < "$NETPLUMB_ROOT/config/offline.env"
export PATH="$NETPLUMB_ROOT/.tools/bin:$PATH"
backend_dir="${PULUMI_BACKEND_URL#file://}"
mkdir -p "$PULUMI_HOME" "${backend_dir%%\?*}"
unset backend_dir
