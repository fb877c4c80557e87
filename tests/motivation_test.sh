#!/usr/bin/env bash
# Runs every experiment of //experiments:motivation with shortened durations
# and checks that every figure the binary lists (--list: the registered
# experiments' outputs) is written as a valid PDF with a TSV, and that the
# study's figures hold their expected series.
set -euo pipefail
motivation="$1"
out="${TEST_TMPDIR:-$(mktemp -d)}/motivation"
mapfile -t stems < <("$motivation" --list)
[ ${#stems[@]} -gt 0 ] || { echo "FAIL: --list printed no figures" >&2; exit 1; }
"$motivation" --out_dir="$out" --duration_scale=0.01 --quiet > "$out.log" 2>&1 ||
  { cat "$out.log" >&2; echo "motivation failed" >&2; exit 1; }

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The study's figures: stem | series its TSV must contain (';'-separated).
# A figure added later needs no entry here to be checked for validity.
declare -A series_of
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
  series_of["${entry%%|*}"]="${entry#*|}"
done
listed=" ${stems[*]} "
for stem in "${!series_of[@]}"; do
  [[ "$listed" == *" $stem "* ]] || fail "study figure $stem is not listed by --list"
done

for stem in "${stems[@]}"; do
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
  IFS=';' read -ra series <<< "${series_of[$stem]:-}"
  for s in "${series[@]}"; do
    grep -qF "$s"$'\t' "$tsv" || fail "$stem.tsv has no series '$s'"
  done
  # Every data row has three columns and numeric y.
  awk -F'\t' '!/^#/ && NR > 1 && $1 != "series" {
      if (NF != 3 || $3 !~ /^(-?[0-9.e+-]+|nan|inf)$/) { print FILENAME ": " $0; bad = 1 }
    } END { exit bad }' "$tsv" || fail "$stem.tsv has malformed rows"
done

count=$(ls "$out"/*.pdf | wc -l)
[ "$count" -eq ${#stems[@]} ] || fail "expected ${#stems[@]} PDFs, found $count"
grep -q "wrote ${#stems[@]} figures" "$out.log" || fail "no summary line"

if [ $failures -ne 0 ]; then exit 1; fi
echo "all ${#stems[@]} figures written, valid, with their series"
