#!/usr/bin/env bash
# Runs one verb of tests/MS2GAN.Benchmarks against a private RabbitMQ node; sourced by the bench-*.sh
# scripts that need a broker. The caller defines log(), fail() and REPO_ROOT (and is in it), may set
# RABBITMQ_STATE_DIR and RABBITMQ_NODE, then calls run_bench_verb VERB [options...]: it builds the
# benchmarks, starts the node (lib/rabbitmq.sh; stopped on exit) and runs the verb with
# --json artifacts/bench/VERB.json, its output also in artifacts/bench/VERB.log.
# shellcheck source=rabbitmq.sh
. "$REPO_ROOT/infra/scripts/lib/rabbitmq.sh"

run_bench_verb() {
    local verb=$1
    shift
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
    log "building the benchmarks"
    dotnet build tests/MS2GAN.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly
    ensure_rabbitmq
    mkdir -p artifacts/bench
    dotnet tests/MS2GAN.Benchmarks/bin/Release/net10.0/linux-x64/MS2GAN.Benchmarks.dll "$verb" \
        --json "artifacts/bench/$verb.json" "$@" 2>&1 | tee "artifacts/bench/$verb.log"
}
