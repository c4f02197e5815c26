#!/usr/bin/env bash
# Benchmarks against peers (issue 7): every figure beside what a user would pick instead, measured in one run, written
# to bench/results.md, bench/results.json and bench/results.png by bench/report.py.
#   1. quality on every dataset (issue 15): ../shared/data/wikipedia (feature mode), the demo set and the oxygen icons (raw mode:
#      ResNet18 + MiniLM features; infra/scripts/oxygen-icons.sh): MS2GAN as `ms2gan train` builds it, over 5 seeds (verb quality:
#      i2t, t2i, average, joint / shared / specific, predicted-label accuracy), beside CCA, SM and SCM
#      (../shared/tools/peer_baselines.py), SM's label accuracy (bench/sm_labels.py), DSCMR over the same seeds
#      (../shared/tools/dscmr_ref.py; runs kept in artifacts/bench/peer-cache, see lib/peer-cache.sh) and JFSSL as published;
#      and a retrain through the pipeline on the icons (infra/scripts/bench-retrain.sh, not in quick mode);
#   2. training speed: TorchSharp seconds per epoch (verb train-speed) beside the same network in PyTorch
#      (bench/train_twin.py), same data, batch and threads, alternating rounds;
#   3. encoding: ONNX Runtime beside TorchSharp for the MS2GAN encoders; raw mode beside the bare backbones (verb encode);
#   4. search: the embedded store, exact and HNSW (verb search-peers), beside FAISS IndexFlatIP and IndexHNSWFlat
#      (bench/faiss_peer.py) on the same .npy vectors;
#   5. pipeline over a private RabbitMQ node (verb pipeline: HTTP ingest to searchable beside MassTransit and
#      RabbitMQ.Client alone, freshness) and the reindex rate (verb reindex).
# Figures are never asserted; the exit status is non-zero only when a benchmark failed to run (the report is still
# written, with the failed steps named). Quick mode for a smoke run: --quick or BENCH_QUICK=1 (a few minutes). --quality runs part 1
# only and keeps the other parts of bench/results.* from the run before (the report says when each was measured); --speed
# runs parts 2-5 and keeps the quality part from before (about 25 minutes: the quality part alone takes hours here).
# --only encode runs part 3 alone (a few minutes): its model is trained for one epoch, since the encoders' speed does not
# depend on their weights; the figures are in its log and artifacts/bench/peers/encode.json (no report is written).
#   bash infra/scripts/bench-peers.sh [--quick] [--quality | --speed] [--only encode]
set -uo pipefail
# shellcheck source=lib/bench-verb.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/bench-verb.sh"
# shellcheck source=lib/peer-cache.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/peer-cache.sh"
QUICK="${BENCH_QUICK:-0}" QUALITY_ONLY=0 SPEED_ONLY=0 ONLY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --quality) QUALITY_ONLY=1 ;;
        --speed) SPEED_ONLY=1 ;;
        --only) ONLY="${2:-}"; shift ;;
        *) fail "unknown option '$1' (expected --quick, --quality, --speed, --only encode)"; exit 2 ;;
    esac
    shift
done
[ -z "$ONLY" ] || [ "$ONLY" = encode ] || { fail "--only takes 'encode', got '$ONLY'"; exit 2; }
[ "$QUALITY_ONLY$SPEED_ONLY" != 11 ] || { fail "--quality and --speed are two halves of one run: give one, or neither for both"; exit 2; }
DATA="$(realpath -m "${BENCH_DATA:-$REPO_ROOT/../shared/data/wikipedia}")"
OUT="$REPO_ROOT/artifacts/bench/peers"
PY=/usr/bin/python3   # Debian's python3: the packages below are Debian's, not a pyenv's
THREADS="$(nproc)"
if [ "$QUICK" = 1 ]; then
    SEEDS=1 QUALITY_SET='{"epochs":10}' DSCMR_EPOCHS=10
    EPOCHS=20 SPEED_EPOCHS=3 ROUNDS=1 ROWS=10000 IMAGES=20 TEXTS=200 ITEMS=20000 QUERIES=200 REINDEX=5000
    ENCODE=(--rounds 1)
    PIPELINE=(--items 5000 --per-item-items 1000 --raw-messages 5000 --fresh-seconds 5 --search-seconds 5)
else
    # Quality: 5 seeds of the defaults, DSCMR as its script runs it (200 epochs); the rest sized to keep it near 25 minutes.
    SEEDS=1,2,3,4,5 QUALITY_SET='{}' DSCMR_EPOCHS=200
    EPOCHS=100 SPEED_EPOCHS=6 ROUNDS=2 ROWS=20000 IMAGES=100 TEXTS=1000 ITEMS=100000 QUERIES=500 REINDEX=20000
    # Raw mode: medians of 5 alternating rounds (pipeline and bare sessions), and the batch sizes and session options the defaults were chosen from.
    ENCODE=(--rounds 5 --image-batches 1,8,16,32 --session-sweep yes)
    PIPELINE=(--items 20000 --per-item-items 2000 --raw-messages 20000 --fresh-seconds 15 --search-seconds 5)
fi
# The models the reindex and pipeline verbs train only have to exist: their speed does not depend on their weights.
PIPELINE+=(--epochs 1)
CALLERS=8   # concurrent store callers (FAISS searches from one process per core instead: it holds the GIL)
EFS=32,40,48,64,96,128   # HNSW efSearch values, all measured on both sides; each side's fastest with recall@10 >= 0.95 is compared
export OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

[ -f "$DATA/train_image.npy" ] || { fail "no Wikipedia features at $DATA (expected ../shared/data/wikipedia, or set BENCH_DATA)"; exit 2; }
if [ -z "$ONLY" ] && { ! "$PY" -c 'import sklearn, torch, faiss' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; }; then
    log "installing the peers: python3-sklearn python3-torch python3-faiss libopenblas0-pthread (Debian)"
    # OpenBLAS: without it Debian's PyTorch and FAISS multiply matrices with the reference BLAS, 4x slower here.
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3-sklearn python3-torch python3-faiss libopenblas0-pthread >/dev/null \
        || { fail "apt-get install failed: the peers cannot run"; exit 1; }
fi

rm -rf "$OUT" && mkdir -p "$OUT"
cut -d" " -f1-3 /proc/loadavg > "$OUT/load.txt"   # other sessions share the 2 cores: the report says how busy they were
log "building the ms2gan host and the benchmarks"
dotnet build services/Host -c Release --nologo -v quiet -clp:ErrorsOnly || { fail "build failed"; exit 1; }
dotnet build tests/MS2GAN.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly || { fail "build failed"; exit 1; }
APP="dotnet services/Host/bin/Release/net10.0/linux-x64/ms2gan.dll"
BENCH="dotnet tests/MS2GAN.Benchmarks/bin/Release/net10.0/linux-x64/MS2GAN.Benchmarks.dll"
MODEL="$OUT/model"
FAILED=()
# step NAME COMMAND...: runs one benchmark, its output shown and kept in $OUT/NAME.log; a failure is recorded, the run goes on.
step() {
    local name=$1 started=$SECONDS
    shift
    log "$name: $*"
    "$@" 2>&1 | tee "$OUT/$name.log"
    local status=${PIPESTATUS[0]}
    if [ "$status" -eq 0 ]; then
        log "$name done in $((SECONDS - started)) s"
    else
        fail "$name failed (exit $status); its output is in $OUT/$name.log"
        FAILED+=("$name")
    fi
}

if [ "$ONLY" = encode ]; then
    step encode-model $APP train --data "$DATA" --out "$MODEL" --epochs 1 --force
    step encode $BENCH encode --model "$MODEL" --data "$DATA" --items "$ROWS" --images "$IMAGES" --texts "$TEXTS" "${ENCODE[@]}" --json "$OUT/encode.json"
    rm -rf "$MODEL"
    [ ${#FAILED[@]} -eq 0 ] || { fail "failed to run: ${FAILED[*]}"; exit 1; }
    log "done: $OUT/encode.json (load average at the start: $(cat "$OUT/load.txt"))"
    exit 0
fi
if [ "$SPEED_ONLY" = 0 ]; then
# 1. Quality. The datasets: Wikipedia as given, the demo set drawn here (the same seed gives the same data), the oxygen icons
# from Debian's package (the script installs it; without root or apt that dataset is reported as failed).
DEMO="$REPO_ROOT/artifacts/data/demo" OXYGEN="$REPO_ROOT/artifacts/data/oxygen-icons"
[ -f "$DEMO/train_image.npy" ] || step data-demo $APP demo-data --out "$DEMO" --per-class 60 --seed 1 --provider Cpu --force
[ -f "$OXYGEN/features/train_image.npy" ] || step data-oxygen-icons bash "$REPO_ROOT/infra/scripts/oxygen-icons.sh" "$OXYGEN"
TOOLS="$REPO_ROOT/../shared/tools"
for entry in "wikipedia=$DATA" "demo=$DEMO" "oxygen-icons=$OXYGEN/features"; do
    name=${entry%%=*} dir=${entry#*=}
    if [ ! -f "$dir/train_image.npy" ]; then
        fail "quality-$name: no features at $dir"; FAILED+=("quality-$name"); continue
    fi
    # Seeds one after another on one thread each: the machine is shared.
    step "quality-$name-ms2gan" $BENCH quality --data "$dir" --name "$name" --seeds "$SEEDS" --threads 1 --set "$QUALITY_SET" --json "$OUT/quality-$name.json"
    step "quality-$name-peers" "$PY" "$TOOLS/peer_baselines.py" "$dir"
    step "quality-$name-sm-labels" "$PY" bench/sm_labels.py "$dir" --json "$OUT/quality-$name-sm-labels.json"
    for seed in ${SEEDS//,/ }; do
        step "quality-$name-dscmr-$seed" peer_cached "dscmr-seed$seed-epochs$DSCMR_EPOCHS" "$dir" "$OUT/.dscmr.log" \
            "$PY" "$TOOLS/dscmr_ref.py" "$dir" "$DSCMR_EPOCHS" "$seed"
    done
done
# Through the pipeline (serve -> ingest -> retrain -> /v1/search on the icons' held-out items, beside offline train): about
# 10 minutes a seed on an idle 2-core machine, so not in quick mode. Figures in artifacts/bench/retrain-pipeline.json.
[ "$QUICK" = 1 ] || step quality-retrain-pipeline bash "$REPO_ROOT/infra/scripts/bench-retrain.sh" --seeds "$SEEDS"
if [ "$QUALITY_ONLY" = 1 ]; then
    log "writing the quality part of bench/results.md, bench/results.json and bench/results.png"
    "$PY" bench/report.py "$OUT" bench --quick "$QUICK" --failed "${FAILED[*]:-}" --parts quality || { fail "the report could not be written"; exit 1; }
    [ ${#FAILED[@]} -eq 0 ] || { fail "failed to run: ${FAILED[*]}"; exit 1; }
    log "done: bench/results.md"
    exit 0
fi
fi
# The model the encoding and search benchmarks use (its weights do not change their speed).
step model $APP train --data "$DATA" --out "$MODEL" --epochs "$EPOCHS" --force
for round in $(seq "$ROUNDS"); do
    step "speed-torchsharp-$round" $BENCH train-speed --data "$DATA" --epochs "$SPEED_EPOCHS" --threads "$THREADS" --json "$OUT/speed-torchsharp-$round.json"
    step "speed-pytorch-$round" "$PY" bench/train_twin.py "$DATA" --epochs "$SPEED_EPOCHS" --threads "$THREADS" --json "$OUT/speed-pytorch-$round.json"
done
step encode $BENCH encode --model "$MODEL" --data "$DATA" --items "$ROWS" --images "$IMAGES" --texts "$TEXTS" "${ENCODE[@]}" --json "$OUT/encode.json"
step search-store $BENCH search-peers --model "$MODEL" --data "$DATA" --items "$ITEMS" --queries "$QUERIES" --vectors "$OUT/vectors" --ef-search "$EFS" --callers "$CALLERS" --json "$OUT/search-store.json"
step search-faiss "$PY" bench/faiss_peer.py "$OUT/vectors" --threads "$THREADS" --ef-search "$EFS" --in-flight "$THREADS" --json "$OUT/search-faiss.json"
rm -rf "$OUT/vectors"
step reindex $BENCH reindex --items "$REINDEX" --epochs 1 --json "$OUT/reindex.json"
# The pipeline last: run_bench_verb starts the private RabbitMQ node, stopped when this script exits.
RABBITMQ_STATE_DIR="$REPO_ROOT/artifacts/rabbitmq-peers" RABBITMQ_NODE="ms2gan-peers@localhost"
step pipeline run_bench_verb pipeline "${PIPELINE[@]}" --json "$OUT/pipeline.json"

log "writing bench/results.md, bench/results.json and bench/results.png"
SPEED_PARTS=()
[ "$SPEED_ONLY" = 0 ] || SPEED_PARTS=(--parts "training encoding search pipeline")
"$PY" bench/report.py "$OUT" bench --quick "$QUICK" --failed "${FAILED[*]:-}" "${SPEED_PARTS[@]}" || { fail "the report could not be written"; exit 1; }
rm -rf "$MODEL"
if [ ${#FAILED[@]} -gt 0 ]; then
    fail "failed to run: ${FAILED[*]}"
    exit 1
fi
log "done: bench/results.md"
