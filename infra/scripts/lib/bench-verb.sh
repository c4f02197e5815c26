#!/usr/bin/env bash
# Runs one verb of tests/MS2GAN.Benchmarks against a private RabbitMQ node; sourced by the bench-*.sh
# scripts that need a broker, which then call run_bench_verb VERB [options...]. It goes to the repository
# root, builds the benchmarks, starts the node (lib/rabbitmq.sh: its own name, loopback ports and data in
# RABBITMQ_STATE_DIR, by default artifacts/rabbitmq-VERB and ms2gan-VERB@localhost; stopped on exit) and
# runs the verb with --json artifacts/bench/VERB.json, its output also in artifacts/bench/VERB.log.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$REPO_ROOT"

log() { printf '==> %s\n' "$*"; }
fail() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

run_bench_verb() {
    local verb=$1
    shift
    RABBITMQ_STATE_DIR="${RABBITMQ_STATE_DIR:-$REPO_ROOT/artifacts/rabbitmq-$verb}"
    RABBITMQ_NODE="${RABBITMQ_NODE:-ms2gan-$verb@localhost}"
    # shellcheck source=rabbitmq.sh
    . "$REPO_ROOT/infra/scripts/lib/rabbitmq.sh"
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
    log "building the benchmarks"
    dotnet build tests/MS2GAN.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
    ensure_rabbitmq
    mkdir -p artifacts/bench
    dotnet tests/MS2GAN.Benchmarks/bin/Release/net10.0/linux-x64/MS2GAN.Benchmarks.dll "$verb" \
        --json "artifacts/bench/$verb.json" "$@" 2>&1 | tee "artifacts/bench/$verb.log"
}
