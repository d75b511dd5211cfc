#!/usr/bin/env bash
# Prints the totals of a Maven Surefire reports folder as one plain closing line, "NAME: P passed, F failed,
# S skipped" (Maven itself is quiet when every test passes). Prints nothing when the folder has no reports.
# Usage: scripts/surefire-summary.sh NAME REPORTS_DIR
set -euo pipefail
name=$1
reports=$2
compgen -G "$reports/TEST-*.xml" > /dev/null || exit 0
grep -h '<testsuite ' "$reports"/TEST-*.xml |
    awk -v name="$name" '{
        for (i = 1; i <= NF; i++) {
            split($i, kv, "=");
            gsub(/[">]/, "", kv[2]);
            if (kv[1] == "tests") t += kv[2];
            if (kv[1] == "failures" || kv[1] == "errors") f += kv[2];
            if (kv[1] == "skipped") s += kv[2];
        }
    } END { printf "%s: %d passed, %d failed, %d skipped\n", name, t - f - s, f, s }'
