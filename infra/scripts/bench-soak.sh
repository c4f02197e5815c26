#!/usr/bin/env bash
# Benchmark: the soak of issue 6 over a real RabbitMQ, in feature mode. Starts a private RabbitMQ node
# (lib/bench-verb.sh: its own name, loopback ports and data in artifacts/rabbitmq-soak, stopped on exit),
# then runs `MS2GAN.Benchmarks soak`: a quick maximum of HTTP ingest to searchable (~20 s), then ingest at
# 80% of it (or --rate N items/s) in paced NDJSON batches with new ids throughout, searches in parallel
# (--search-clients N), for --minutes N (10), sampling memory, rates, lag, errors and search latency every
# 5 s. Prints a table and writes artifacts/bench/soak.json and soak.png. Not a test: nothing is asserted;
# the exit status is non-zero only when the benchmark could not run.
#   bash infra/scripts/bench-soak.sh [--rate N] [--minutes N] [--search-clients N] ...
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

log() { printf '==> %s\n' "$*"; }
fail() { printf 'bench-soak.sh: %s\n' "$*" >&2; }

RABBITMQ_STATE_DIR="$REPO_ROOT/artifacts/rabbitmq-soak"
RABBITMQ_NODE="ms2gan-soak@localhost"
# shellcheck source=lib/bench-verb.sh
. "$REPO_ROOT/infra/scripts/lib/bench-verb.sh"
run_bench_verb soak "$@"
