#!/usr/bin/env bash
# Run every benchmark on this machine; text goes to the terminal, JSON to benchmarks/results/.
# Usage: benchmarks/run_all.sh [--quick]   (--quick: 200 posts, 2 rounds, sizes 0.1 and 1 MB)
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p results
posts=1000 rounds=5 runs=10 sizes=(0.1 1 10)
if [[ "${1:-}" == "--quick" ]]; then posts=200 rounds=2 runs=3 sizes=(0.1 1); fi

python corpus.py --posts "$posts" > posts.jsonl
python corpus.py --posts "$posts" --stats

echo "== warm per-draft cost: full check vs bare Sudachi"
python bench_check.py --corpus posts.jsonl --posts "$posts" --rounds "$rounds" --profile 25 --save results/check.json \
  | tee results/check.txt

echo "== cold start: guard check vs bare Sudachi start"
python bench_cold_start.py --runs "$runs" --profile 20 --save results/cold_start.json | tee results/cold_start.txt

echo "== scaling with draft size"
python bench_scaling.py --sizes "${sizes[@]}" --save results/scaling.json | tee results/scaling.txt
