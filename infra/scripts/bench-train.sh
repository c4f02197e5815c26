#!/usr/bin/env bash
# Benchmark: train MS2GAN with its default settings on the Wikipedia benchmark (../shared/data/wikipedia)
# and evaluate it on the standard test split. Prints wall-clock training time and the test mAP, and writes
# them to artifacts/bench/train-wikipedia.json. Not a test: nothing is asserted.
#   bash infra/scripts/bench-train.sh [DATA_DIR]
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="$(realpath -m "${1:-$REPO_ROOT/../shared/data/wikipedia}")"
cd "$REPO_ROOT"
[ -f "$DATA/train_image.npy" ] || { echo "bench-train.sh: no Wikipedia features at $DATA (expected ../shared/data/wikipedia)" >&2; exit 2; }

OUT="$REPO_ROOT/artifacts/bench"
mkdir -p "$OUT"
MODEL="$(mktemp -d)/model"
dotnet build services/Host -c Release --nologo -v quiet
APP="services/Host/bin/Release/net10.0/linux-x64/ms2gan.dll"

start=$(date +%s.%N)
dotnet "$APP" train --data "$DATA" --out "$MODEL" 2> "$OUT/train-wikipedia.log"
end=$(date +%s.%N)
dotnet "$APP" evaluate --model "$MODEL" --data "$DATA" --json 2>> "$OUT/train-wikipedia.log" > "$OUT/evaluate-wikipedia.json"

python3 - "$MODEL/manifest.json" "$OUT/evaluate-wikipedia.json" "$start" "$end" "$(nproc)" > "$OUT/train-wikipedia.json" <<'PY'
import json, sys
manifest, evaluation = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
print(json.dumps({
    "wallSeconds": round(float(sys.argv[4]) - float(sys.argv[3]), 1),
    "trainingSeconds": manifest["training"]["seconds"],
    "cores": int(sys.argv[5]),
    "epochs": manifest["training"]["epochsRun"],
    "bestEpoch": manifest["training"]["bestEpoch"],
    "test": {k: evaluation[k] for k in ("i2t", "t2i", "avg")},
    "ablation": evaluation["ablation"],
    "weights": evaluation["weights"],
}, indent=2))
PY
cat "$OUT/train-wikipedia.json"
rm -rf "$(dirname "$MODEL")"
