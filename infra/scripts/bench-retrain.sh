#!/usr/bin/env bash
# Benchmark: retrieval quality through the pipeline, as ops use it, on the oxygen icons (bench/pipeline_quality.py).
# Starts `ms2gan serve` on its own content (no --demo, no model) in a temporary data directory on a free port, ingests
# train.jsonl (labelled) and heldout.jsonl (unlabelled) with `ms2gan ingest`, and for each seed retrains (`ms2gan retrain`,
# the defaults with {"seed": N}, --tolerance 1), waits for the promotion and the reindex, and queries every held-out item
# through POST /v1/search in both directions (filter metadata split=heldout); mAP by the items' metadata class, beside
# `ms2gan train` + `ms2gan evaluate` on the same items' features. Builds nothing: it runs the built app
# (services/Host/bin/Release/net10.0/linux-x64/ms2gan.dll, or MS2GAN_APP="dotnet /path/ms2gan.dll"). Builds the dataset
# with infra/scripts/oxygen-icons.sh when it is missing (that script builds services/Host for its features step).
# Prints one line per seed and a summary; writes artifacts/bench/retrain-pipeline.json. Not a test: nothing is asserted; non-zero only when the benchmark could not run.
#   bash infra/scripts/bench-retrain.sh [--seeds 1,2,3,4,5]
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="$REPO_ROOT/artifacts/data/oxygen-icons"
OUT="$REPO_ROOT/artifacts/bench/retrain-pipeline.json"
APP="${MS2GAN_APP:-dotnet $REPO_ROOT/services/Host/bin/Release/net10.0/linux-x64/ms2gan.dll}"
SEEDS=1,2,3,4,5
while [ $# -gt 0 ]; do
    case "$1" in
        --seeds) SEEDS="${2:?--seeds needs a comma list}"; shift 2 ;;
        *) echo "bench-retrain.sh: unknown option $1 (expected --seeds LIST)" >&2; exit 2 ;;
    esac
done

if [ ! -f "$DATA/train.jsonl" ] || [ ! -f "$DATA/heldout.jsonl" ] || [ ! -f "$DATA/features/test_labels.npy" ]; then
    echo "==> $DATA is missing: building it (infra/scripts/oxygen-icons.sh)" >&2
    bash "$REPO_ROOT/infra/scripts/oxygen-icons.sh" "$DATA"
fi
mkdir -p "$(dirname "$OUT")"
/usr/bin/python3 "$REPO_ROOT/bench/pipeline_quality.py" --data "$DATA" --app "$APP" --seeds "$SEEDS" --json "$OUT"
echo "==> wrote $OUT" >&2
