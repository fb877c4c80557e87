#!/usr/bin/env bash
# Prints the finite_slo comparison (finite_slo.textproto) as a Markdown table.
#
#   policies/quality/finite_slo_table.sh OUT_DIR   (the study's --out_dir)
#
# Per problem and policy: the SLO attainment on the held-out draws (mean over
# the serving seeds) with finite_slo=trimmed and =original, the difference in
# percentage points, the draws each mode won, and whether the two placements
# are the same (as sets of models per group config). Then per policy the mean
# difference and the draws won over all problems.
set -euo pipefail
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: $0 OUT_DIR" >&2; exit 1; }

# A placement ("group 0 (1,1,1): m1 m0 | group 1 ...") as sorted groups of
# sorted models, so that the order models were added in does not count.
canonical() {
  sed 's/ | /\n/g' <<<"$1" | sed -E 's/^group [0-9]+ //' |
    while read -r config models; do
      echo "$config $(tr ' ' '\n' <<<"$models" | sort | tr '\n' ' ')"
    done | sort | tr '\n' ';'
}

table=$(for tsv in "$1"/*/results.tsv; do
  problem=$(basename "$(dirname "$tsv")")
  rows=$(grep -v '^#' "$tsv")
  for policy in sr-greedy mp-search; do
    # The columns by name; one row per serving draw, in the same draw order
    # for both modes.
    att() {
      awk -F'\t' -v p="$1" 'NR == 1 { for (i = 1; i <= NF; ++i) c[$i] = i; next }
        $c["policy"] == p { print $c["slo_attainment"] }' <<<"$rows"
    }
    place() {
      awk -F'\t' -v p="$1" 'NR == 1 { for (i = 1; i <= NF; ++i) c[$i] = i; next }
        $c["policy"] == p { print $c["placement"]; exit }' <<<"$rows"
    }
    same=no
    [ "$(canonical "$(place "$policy")")" = \
      "$(canonical "$(place "$policy original")")" ] && same=yes
    paste <(att "$policy") <(att "$policy original") |
      awk -v problem="$problem" -v policy="$policy" -v same="$same" '
        { a += $1; b += $2; n += 1; wa += $1 > $2; wb += $2 > $1 }
        END {
          if (n == 0) { print "no rows for " policy " in " problem > "/dev/stderr"; exit 1 }
          printf "| %s | %s | %.2f%% | %.2f%% | %+.3f | %d / %d / %d | %s |\n",
            problem, policy, 100 * a / n, 100 * b / n, 100 * (b - a) / n,
            wa, wb, n - wa - wb, same
        }'
  done
done)
echo "| problem | policy | trimmed | original | original - trimmed (pp) |" \
  "draws won trimmed / original / tie | same placement |"
echo "|---|---|---|---|---|---|---|"
echo "$table"
echo
awk -F' [|] ' '
  { split($6, w, " / "); d[$2] += $5; k[$2] += 1; wa[$2] += w[1]; wb[$2] += w[2] }
  END {
    for (p in k) {
      printf "%s: mean difference %+.3f pp over %d problems; draws won: " \
        "trimmed %d, original %d\n", p, d[p] / k[p], k[p], wa[p], wb[p]
    }
  }' <<<"$table" | sort
