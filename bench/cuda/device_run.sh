#!/usr/bin/env bash
# One call on a lent CUDA machine: the test suite (tork places everything on the GPU when
# one is there) and/or the benchmark suite with --device cuda. Logs and JSON go to $OUT.
#
#   bash bench/cuda/device_run.sh tests [pytest args...]   # full suite on CUDA
#   bash bench/cuda/device_run.sh quick                     # every workload, quick mode
#   bash bench/cuda/device_run.sh bench W[,W] [run.py args] # full eager + jit runs
set -u
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
OUT=${OUT:-$PWD/out}
mkdir -p "$OUT"
JSON=$(mktemp -d)  # JSON results: $OUT brings back 8 files at most, so they travel as one archive
mkdir -p "$JSON"
what=${1:-tests}
shift || true
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv,noheader
python3 -c "import sys, torch; print(sys.version.split()[0], 'torch', torch.__version__, torch.cuda.get_device_name(), 'cpus', torch.get_num_threads())"
case "$what" in
  tests)
    python3 -m pytest -q -p no:cacheprovider -n "${JOBS:-8}" --timeout 300 -rfE \
      --junitxml "$OUT/junit.xml" "$@" tests 2>&1 | tee "$OUT/tests.log" | tail -n 150
    ;;
  quick)
    for mode in "" "--jit"; do
      python3 -m bench --workload all --quick --device cuda $mode 2>&1 | tail -n 40
    done
    ;;
  bench)
    # One process per workload and mode, so that a time limit loses only the one in flight.
    workloads=${1:-seed_mlp,mnist_mlp,small_cnn,tape_loop,predict,lstm,call_overhead,conv_layer,lstm_layer}
    shift || true
    for w in ${workloads//,/ }; do
      timeout "${PER_RUN:-120}" python3 -m bench --workload "$w" --device cuda \
        --json "$JSON/eager_$w.json" "$@" 2>&1 | tail -n 6
      tar czf "$OUT/bench_json.tgz" -C "$JSON" .
      case "$w" in call_overhead|conv_layer|lstm_layer) continue ;; esac
      timeout "${PER_RUN:-120}" python3 -m bench --workload "$w" --device cuda --jit \
        --json "$JSON/jit_$w.json" "$@" 2>&1 | tail -n 6
      tar czf "$OUT/bench_json.tgz" -C "$JSON" .  # after each run: a time limit keeps the rest
    done
    ;;
esac
