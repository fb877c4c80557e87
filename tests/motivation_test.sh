#!/usr/bin/env bash
# Runs every experiment of //experiments:motivation with shortened durations
# and checks that each of the study's 21 figures is written as a valid PDF
# with a TSV holding the expected series.
set -euo pipefail
motivation="$1"
out="${TEST_TMPDIR:-$(mktemp -d)}/motivation"
"$motivation" --out_dir="$out" --duration_scale=0.01 --quiet > "$out.log" 2>&1 ||
  { cat "$out.log" >&2; echo "motivation failed" >&2; exit 1; }

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# figure stem | series its TSV must contain (';'-separated)
expected=(
  "illustrative_example_1|Simple Placement;Model Parallelism;Simple Placement Mean Latency;Model Parallelism Mean Latency"
  "illustrative_example_2|Simple Placement;Simple Placement Model 1;Simple Placement Model 2;Model Parallelism Model 2;Model Parallelism Mean Latency"
  "illustrative_example_3|Simple Placement;Model Parallelism;Model Parallelism Mean Latency"
  "illustrative_example_utilization_4|Simple Placement;Model Parallelism"
  "memory_budget_vs_latency_mean_latency_2|Model Parallelism;Replication;GPU Memory Bound"
  "memory_budget_vs_latency_p99_latency_2|Model Parallelism;Replication;GPU Memory Bound"
  "memory_budget_vs_latency_mean_latency_1|Model Parallelism;Replication;GPU Memory Bound"
  "memory_budget_vs_latency_p99_latency_1|Model Parallelism;Replication;GPU Memory Bound"
  "changing_rate_cv_slo_1|Model Parallelism;Replication"
  "changing_rate_cv_slo_1.5|Model Parallelism;Replication"
  "changing_rate_cv_slo_2|Model Parallelism;Replication"
  "changing_rate_cv_slo_2.5|Model Parallelism;Replication"
  "changing_rate_cv_slo_3|Model Parallelism;Replication"
  "changing_pipeline_overhead_1|Model Parallelism (α=1.0);Model Parallelism (α=1.5);Replication"
  "overhead_decomposition_pp|Computation;Communication Overhead;Uneven Partition Overhead"
  "overhead_decomposition_op|Computation;Communication Overhead"
  "overhead_decomposition_pp_compare_bert-1.3b|Computation (manual);Uneven Partition (manual);Computation (DP);Uneven Partition (DP)"
  "overhead_decomposition_pp_compare_bert-2.6b|Computation (manual);Uneven Partition (manual);Computation (DP);Uneven Partition (DP)"
  "model_parallel_latency|Inter-op Parallelism;Intra-op Parallelism;Replication"
  "model_parallel_throughput|Inter-op Parallelism;Intra-op Parallelism;Replication"
  "model_parallel_memory|Inter-op Parallelism;Intra-op Parallelism;Replication"
)

for entry in "${expected[@]}"; do
  stem="${entry%%|*}"
  pdf="$out/$stem.pdf"
  tsv="$out/$stem.tsv"
  [ -s "$pdf" ] || { fail "$stem.pdf missing"; continue; }
  [ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "$stem.pdf is not a PDF"
  tail -c 64 "$pdf" | grep -q "%%EOF" || fail "$stem.pdf is truncated"
  if command -v pdfinfo > /dev/null; then
    pdfinfo "$pdf" > /dev/null 2>&1 || fail "pdfinfo rejects $stem.pdf"
  fi
  [ -s "$tsv" ] || { fail "$stem.tsv missing"; continue; }
  grep -q "^# figure: $stem\$" "$tsv" || fail "$stem.tsv lacks its figure line"
  grep -q $'^series\tx\ty$' "$tsv" || fail "$stem.tsv lacks the header"
  IFS=';' read -ra series <<< "${entry#*|}"
  for s in "${series[@]}"; do
    grep -qF "$s"$'\t' "$tsv" || fail "$stem.tsv has no series '$s'"
  done
  # Every data row has three columns and numeric y.
  awk -F'\t' '!/^#/ && NR > 1 && $1 != "series" {
      if (NF != 3 || $3 !~ /^(-?[0-9.e+-]+|nan|inf)$/) { print FILENAME ": " $0; bad = 1 }
    } END { exit bad }' "$tsv" || fail "$stem.tsv has malformed rows"
done

count=$(ls "$out"/*.pdf | wc -l)
[ "$count" -eq 21 ] || fail "expected 21 PDFs, found $count"
grep -q "wrote 21 figures" "$out.log" || fail "no summary line"

if [ $failures -ne 0 ]; then exit 1; fi
echo "all 21 figures written, valid, with their series"
