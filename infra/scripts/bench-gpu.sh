#!/usr/bin/env bash
# GPU readiness (issue 17): on a machine with an NVIDIA GPU, runs the raw image path with the CUDA provider
# (Pipeline:OnnxProvider=Cuda: batched ResNet18 with pinned host buffers and every core preparing each batch, then the
# MS2GAN image encoder) and prints the provider in use and images/s at batches of 1, 32 and 128, beside the bare
# batch-1 ResNet18 sessions on the same GPU (verb encode --mode raw --provider Cuda of tests/MS2GAN.Benchmarks).
# Where no GPU is available it says plainly that nothing was run, writes that into the results file, and exits 0.
#   bash infra/scripts/bench-gpu.sh            # 512 demo images, 3 alternating rounds
#   GPU_IMAGES=128 bash infra/scripts/bench-gpu.sh
# Results: artifacts/bench/gpu/encode-gpu.json (and .log).
set -uo pipefail
# shellcheck source=lib/bench-verb.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/bench-verb.sh"
OUT="$REPO_ROOT/artifacts/bench/gpu"
IMAGES="${GPU_IMAGES:-512}"
mkdir -p "$OUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

not_run() {
    printf 'NOT RUN: %s. No GPU figure was measured on this machine.\n' "${1%.}"
    printf '{ "ran": false, "reason": "%s" }\n' "$(printf '%s' "$1" | sed 's/["\\]/\\&/g')" > "$OUT/encode-gpu.json"
    exit 0
}

# The GPU itself; which CUDA libraries ONNX Runtime needs is checked by the session factory (Onnx/CudaLibraries.cs),
# so that the list lives in one place: the benchmark exits 3 when one cannot be loaded.
command -v nvidia-smi >/dev/null 2>&1 || not_run "no GPU was available: nvidia-smi is not installed (no NVIDIA driver)"
GPUS="$(nvidia-smi -L 2>/dev/null)" || not_run "no GPU was available: nvidia-smi finds no NVIDIA GPU"
[ -n "$GPUS" ] || not_run "no GPU was available: nvidia-smi lists no GPU"
log "GPU: $GPUS"

log "building the benchmarks"
dotnet build tests/MS2GAN.Benchmarks -c Release --nologo -v quiet -clp:ErrorsOnly || { fail "build failed"; exit 1; }
dotnet tests/MS2GAN.Benchmarks/bin/Release/net10.0/linux-x64/MS2GAN.Benchmarks.dll encode --mode raw --provider Cuda \
    --images "$IMAGES" --texts 0 --rounds 3 --image-batches 1,32,128 --json "$OUT/encode-gpu.json" 2>&1 | tee "$OUT/encode-gpu.log"
status=${PIPESTATUS[0]}
if [ "$status" -eq 3 ]; then
    not_run "a GPU is present but ONNX Runtime's CUDA provider cannot be used: $(grep -m1 'not run:' "$OUT/encode-gpu.log" | sed 's/^encode: not run: //')"
fi
[ "$status" -eq 0 ] || { fail "the benchmark failed (exit $status); its output is in $OUT/encode-gpu.log"; exit 1; }
log "done: $OUT/encode-gpu.json"
