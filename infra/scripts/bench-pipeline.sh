#!/usr/bin/env bash
# Benchmark: the event-driven pipeline over a real RabbitMQ, in feature mode (issue 3's figures).
# Starts a private RabbitMQ node (infra/scripts/lib/rabbitmq.sh through lib/bench-verb.sh; its own name, loopback ports and data
# in artifacts/rabbitmq-bench, stopped on exit), then runs `MS2GAN.Benchmarks pipeline`:
#   1. the broker alone, one message per item (MassTransit publish with confirms, plain consumer);
#   2. HTTP ingest to searchable with the default settings (one message per chunk of a batch);
#   3. search over HTTP with that corpus indexed, several clients at once, exact mode;
#   4. freshness (sent to searchable) at a steady ingest rate;
#   5. HTTP ingest to searchable with one item, so one message, per request.
# Prints a table and writes artifacts/bench/pipeline.json. Not a test: nothing is asserted; the exit
# status is non-zero only when the benchmark could not run.
#   bash infra/scripts/bench-pipeline.sh [--items N] [--clients N] [--search-clients N] [--fresh-rate N] ...
set -euo pipefail
# shellcheck source=lib/bench-verb.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/bench-verb.sh"
RABBITMQ_STATE_DIR="$REPO_ROOT/artifacts/rabbitmq-bench"
RABBITMQ_NODE="ms2gan-bench@localhost"
run_bench_verb pipeline "$@"
