#!/usr/bin/env bash
# The main job on the embedded defaults, no servers: generate the demo dataset (images drawn with
# SkiaSharp, captions from templates, ResNet18 and MiniLM features), train MS2GAN on it, then score the
# exported ONNX encoders on the held-out test split and print the retrieval table.
#   bash infra/scripts/demo.sh [OUT_DIR]      (default: ./demo)
# Environment: PER_CLASS (default 60), SEED (default 1), EPOCHS (default: the model's default).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$REPO_ROOT/demo}")"
cd "$REPO_ROOT"

command -v dotnet >/dev/null 2>&1 || { echo "demo.sh: dotnet was not found on PATH; install the .NET 10 SDK" >&2; exit 2; }

dotnet build services/Host -c Release --nologo -v quiet
ms2gan() { dotnet run -c Release --no-build --project services/Host -- "$@"; }

ms2gan demo-data --out "$OUT/data" --per-class "${PER_CLASS:-60}" --seed "${SEED:-1}" --force
ms2gan train --data "$OUT/data" --out "$OUT/model" --force ${EPOCHS:+--epochs "$EPOCHS"}
echo
echo "Retrieval on the demo test split (ONNX encoders):"
ms2gan evaluate --model "$OUT/model" --data "$OUT/data"
echo
echo "Model: $OUT/model (training curves: $OUT/model/training_curves.png)"
