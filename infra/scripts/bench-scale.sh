#!/usr/bin/env bash
# A million items on one machine (issue 16): the embedded store in HNSW mode and FAISS IndexHNSWFlat on the same
# vectors, same M, efConstruction and threads, measured in one run. Writes artifacts/bench/scale/scale.json and
# bench/scale.md (bench/scale_report.py). Memory: about 11 GB at 1,000,000 items (store, then FAISS, not at once);
# disk: about 10 GB under artifacts/bench/scale while it runs.
#   bash infra/scripts/bench-scale.sh [--items N]     (default 1,000,000)
set -uo pipefail
# shellcheck source=lib/bench-verb.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/bench-verb.sh"
ITEMS=1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --items) ITEMS="$2"; shift 2 ;;
        *) fail "unknown option $1 (usage: bench-scale.sh [--items N])"; exit 2 ;;
    esac
done
DATA="$(realpath -m "${BENCH_DATA:-$REPO_ROOT/../shared/data/wikipedia}")"
OUT="$REPO_ROOT/artifacts/bench/scale"
MODEL="${BENCH_MODEL:-$REPO_ROOT/artifacts/bench/model-wikipedia}"   # trained on first use, then reused
PY=/usr/bin/python3   # Debian's python3: FAISS below is Debian's package
THREADS="$(nproc)"
EFS=16,24,32,48,64,96,128,192,256   # each side's fastest setting with recall@10 >= 0.95 is compared (1,000,000 items need more than 128)
export OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

[ -f "$DATA/train_image.npy" ] || { fail "no Wikipedia features at $DATA (expected ../shared/data/wikipedia, or set BENCH_DATA)"; exit 2; }
if ! "$PY" -c 'import faiss' 2>/dev/null; then
    log "installing the peer: python3-faiss libopenblas0-pthread (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3-faiss libopenblas0-pthread >/dev/null \
        || { fail "apt-get install failed: FAISS cannot run"; exit 1; }
fi

rm -rf "$OUT" && mkdir -p "$OUT"
LOAD="$(cut -d" " -f1-3 /proc/loadavg)"
log "building the benchmarks"
dotnet build tests/MS2GAN.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly || { fail "build failed"; exit 1; }
BENCH="dotnet tests/MS2GAN.Benchmarks/bin/Release/net10.0/linux-x64/MS2GAN.Benchmarks.dll"
log "store: $ITEMS items"
$BENCH scale --items "$ITEMS" --data "$DATA" --model "$MODEL" --vectors "$OUT/vectors" --store "$OUT/store" \
    --ef-search "$EFS" --callers 8 --json "$OUT/store.json" 2>&1 | tee "$OUT/store.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { fail "the store benchmark failed; its output is in $OUT/store.log"; exit 1; }
log "FAISS on the same vectors"
"$PY" bench/faiss_peer.py "$OUT/vectors" --threads "$THREADS" --m 16 --ef-construction 128 --ef-search "$EFS" --in-flight 8 \
    --json "$OUT/faiss.json" 2>&1 | tee "$OUT/faiss.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { fail "FAISS failed; its output is in $OUT/faiss.log"; exit 1; }
rm -rf "$OUT/vectors"
"$PY" - "$OUT/store.json" "$LOAD" <<'PYEOF'
import json, sys
path, load = sys.argv[1], sys.argv[2]
d = json.load(open(path)); d["load"] = load
json.dump(d, open(path, "w"), indent=2)
PYEOF
"$PY" bench/scale_report.py "$OUT" "$OUT/scale.json" bench/scale.md || { fail "the report could not be written"; exit 1; }
log "done: $OUT/scale.json and bench/scale.md"
