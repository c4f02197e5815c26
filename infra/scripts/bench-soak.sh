#!/usr/bin/env bash
# Benchmark: the soak of issue 6 over a real RabbitMQ, in feature mode. Starts a private RabbitMQ node
# (lib/bench-verb.sh: its own name, loopback ports and data in artifacts/rabbitmq-soak, stopped on exit),
# then runs `MS2GAN.Benchmarks soak`: the first fill of a fixed set of ids (--ids N, 100,000) from HTTP ingest to
# searchable, which is the quick maximum, then ingest at 80% of it (or --rate N items/s) in paced NDJSON batches that
# replace those ids in turn with new content (--ids 0: new ids throughout, the index growing), searches in parallel
# (--search-clients N), for --minutes N (10), sampling memory, rates, lag, errors and search latency every
# 5 s; it stops early when less than 3 GB of disk is left. Prints a table and writes artifacts/bench/soak.json
# and soak.png. Not a test: nothing is asserted; the exit status is non-zero only when it could not run.
#   bash infra/scripts/bench-soak.sh [--rate N] [--minutes N] [--ids N] [--search-clients N] ...
set -euo pipefail
# shellcheck source=lib/bench-verb.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/bench-verb.sh"
run_bench_verb soak "$@"
