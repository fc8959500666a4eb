#!/usr/bin/env bash
# Scans a real tree that holds no Spreeflo key: it must finish within the time limit
# (no hang), exit 0 (no crash, no false positive), and list what it could not read.
# Usage: bash scripts/field-check.sh TREE [SECONDS]
set -uo pipefail
tree=$1
limit=${2:-300}
report=$(mktemp)
trap 'rm -f "$report"' EXIT
start=$(date +%s.%N)
timeout "$limit" node bin/spreeflo-scan.js scan "$tree" --no-ocr --no-progress --format json --output "$report"
code=$?
seconds=$(echo "$(date +%s.%N) - $start" | bc)
if [ $code -eq 124 ]; then echo "field check: $tree did not finish within ${limit} s (a hang)"; exit 1; fi
if [ $code -ne 0 ]; then
  echo "field check: $tree exited $code (expected 0: no key in it)"
  [ -s "$report" ] && node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(JSON.stringify(r.summary),r.findings.map(f=>`${f.path}:${f.line} ${f.redacted}`).join("\n"))' "$report"
  exit 1
fi
node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(`field check: ${process.argv[2]} ok in ${process.argv[3]} s:`,JSON.stringify(r.summary))' "$report" "$tree" "$seconds"
