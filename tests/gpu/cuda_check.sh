#!/usr/bin/env bash
# CUDA check for RecLens (DESIGN §1, §8; docs/gpu.md). Run from anywhere on a machine with an NVIDIA
# GPU, the CUDA toolkit, a pip `torch` with CUDA, and the Debian build packages of .ci/install-deps
# (Qt is optional: without Qt6 Test the test suites are skipped).
#
#   tests/gpu/cuda_check.sh [build-dir]        (default build/cuda)
#
# 1. configures core + CLI (+ the model/scoring tests when Qt6 Test and the torch C++ ABI allow)
#    with -DRECLENS_BUILD_GUI=OFF against the pip torch's libtorch;
# 2. builds reclens-cli, bench_scoring (when Faiss is present) and the tests;
# 3. runs the model and scoring tests (ctest), the scoring benchmark with --device cuda, and
# 4. checks that `reclens-cli evaluate --lists` gives the same top-K on cpu and cuda, for the Python
#    two-tower fixture and a generated 20k x 100k embedding model, and
# 5. that the batched re-rankers on CUDA (mmr, dpp, calibrated, caps) give exactly the per-user
#    re-rankers' lists on the same CUDA candidates (and how CPU and CUDA re-ranked lists compare).
# Exit status 0 only when every step passed. Writes a log per step into the build dir.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/cuda}
python=${PYTHON:-python3}
mkdir -p "$build"
log() { printf '\n== %s\n' "$*"; }

log "torch"
"$python" - <<'PY'
import torch
print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())
if torch.cuda.is_available():
    print("device", torch.cuda.get_device_name(0))
PY
prefix=$("$python" -c 'import torch;print(torch.utils.cmake_prefix_path)')
abi=$("$python" -c 'import torch;print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
"$python" -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' \
  || { echo "cuda_check: torch sees no CUDA device; nothing to check"; exit 1; }

# Every translation unit must use the same libstdc++ ABI as libtorch (pip wheels before torch 2.6 use
# the old one). Debian's Qt uses the new ABI, so with the old one the Qt test suites are left out.
tests=ON
if [ "$abi" = "0" ]; then
  echo "cuda_check: libtorch uses _GLIBCXX_USE_CXX11_ABI=0: building without the Qt test suites"
  tests=OFF
fi
log "configure ($build)"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DRECLENS_BUILD_GUI=OFF -DRECLENS_BUILD_TESTS=$tests \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_FLAGS="-D_GLIBCXX_USE_CXX11_ABI=$abi" \
  | tee "$build/cuda_check-configure.log" | tail -3

log "build"
targets=(reclens-cli)
if ninja -C "$build" -t targets all 2>/dev/null | grep -q '^bench_scoring:'; then targets+=(bench_scoring); fi
if [ "$tests" = ON ]; then targets+=(tst_model tst_builtin tst_dotkernel tst_scorer tst_reranker tst_rerankbatch tst_evaluation); fi
cmake --build "$build" --target "${targets[@]}" | tail -2
cli="$build/app/cli/reclens-cli"

if [ "$tests" = ON ]; then
  log "model, scoring, re-ranking and evaluation tests (the batched re-rankers run on CUDA here)"
  (cd "$build" && ctest -R 'tst_(model|builtin|dotkernel|scorer|reranker|rerankbatch|evaluation)$' --output-on-failure) \
    | tee "$build/cuda_check-tests.log"
fi

if [ -x "$build/tests/benchmarks/bench_scoring" ]; then
  log "scoring benchmark, cuda (generated 20k x 100k, d=64, k=100)"
  "$build/tests/benchmarks/bench_scoring" --device cuda | tee "$build/cuda_check-bench-cuda.log"
  log "scoring benchmark, 100k users x 100k items on cuda (engine + GEMM floor only)"
  "$build/tests/benchmarks/bench_scoring" --device cuda --users 100000 --naive-users 100 --skip-faiss \
    | tee "$build/cuda_check-bench-cuda-100k.log"
else
  echo "cuda_check: bench_scoring not built (Faiss not found); benchmark skipped"
fi

log "CPU vs CUDA top-K"
work="$build/cuda_check"
mkdir -p "$work"
status=0
compare() { # name dataset model
  for dev in cpu cuda; do
    "$cli" evaluate --data "$2" --model "$3" --k 10 --pool 100 --device $dev \
      --lists "$work/$1-$dev.csv" --json "$work/$1-$dev.json" > /dev/null
  done
  "$python" "$root/tests/gpu/compare_lists.py" "$work/$1-cpu.csv" "$work/$1-cuda.csv" || status=1
}
compare two_tower "$root/tests/data/models/dataset.sqlite" "$root/tests/data/models/two_tower.pt"
# A larger case: a generated dataset and embedding model (made with torch in Python).
"$python" "$root/tests/gpu/make_large_case.py" "$work" > /dev/null
compare generated "$work/generated.sqlite" "$work/generated.pt"
if [ -f "$build/sample_data/completejourney-bpr.pt" ]; then
  compare sample_bpr "$build/sample_data/completejourney.sqlite" "$build/sample_data/completejourney-bpr.pt"
fi
[ $status -eq 0 ] && echo "cuda_check: CPU and CUDA top-K lists are equal" || echo "cuda_check: CPU and CUDA lists DIFFER"

log "re-ranked lists: batched on CUDA vs per user on the same CUDA candidates (must be identical)"
rerank_status=0
rerank() { # name dataset model method similarity
  local base=(evaluate --data "$2" --model "$3" --k 10 --pool 100 --no-auc --rerank "$4" --diversity 0.6
              --similarity "$5" --max-per-category 2)
  "$cli" "${base[@]}" --device cuda --lists "$work/$1-$4-$5-batched.csv" > /dev/null
  "$cli" "${base[@]}" --device cuda --scalar-rerank --lists "$work/$1-$4-$5-scalar.csv" > /dev/null
  "$cli" "${base[@]}" --device cpu --lists "$work/$1-$4-$5-cpu.csv" > /dev/null
  if cmp -s "$work/$1-$4-$5-batched.csv" "$work/$1-$4-$5-scalar.csv"; then
    echo "$1 $4 $5: batched CUDA = per-user (identical files)"
  else
    echo "$1 $4 $5: batched CUDA lists DIFFER from per-user"; rerank_status=1
  fi
  printf '%s %s %s, CPU vs CUDA re-ranked: ' "$1" "$4" "$5"
  "$python" "$root/tests/gpu/compare_lists.py" "$work/$1-$4-$5-cpu.csv" "$work/$1-$4-$5-batched.csv" | tail -1 || true
}
for m in mmr dpp; do
  for sim in embedding category; do rerank two_tower "$root/tests/data/models/dataset.sqlite" "$root/tests/data/models/two_tower.pt" $m $sim; done
done
rerank generated "$work/generated.sqlite" "$work/generated.pt" mmr embedding
rerank generated "$work/generated.sqlite" "$work/generated.pt" dpp embedding
rerank two_tower "$root/tests/data/models/dataset.sqlite" "$root/tests/data/models/two_tower.pt" calibrated category
rerank two_tower "$root/tests/data/models/dataset.sqlite" "$root/tests/data/models/two_tower.pt" caps category
[ $rerank_status -eq 0 ] || status=1
exit $status
