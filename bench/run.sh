#!/usr/bin/env bash
# SecretTrail benchmark (a script, not a test). On the same generated trails, in the same run:
#   ours      ./secrettrail analyze end to end (files -> Kafka -> DuckDB -> report) on a running broker
#   (a)       DuckDB's own read_json over the same files (unnest Records, count distinct eventIDs)
#   (b)       a bare single-threaded Jackson streaming pass (gunzip, parse, read 4 fields)
# and prints records/s, peak RSS and the ratios; then the same on a trail that is 95% noise, and a
# heap check: a trail 10x larger under the same small -Xmx must not need 10x the memory.
# Usage: bench/run.sh            (EPD=30000 DAYS=7 SECRETS=500 by default: ~424k records)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out
DAYS=${DAYS:-7}
SECRETS=${SECRETS:-500}
EPD=${EPD:-30000}
END=2026-11-21T00:00:00Z
HEAP=${HEAP:--Xmx512m}
mkdir -p "$OUT"
./secrettrail --version >/dev/null   # builds on first use
CP="app/target/secrettrail.jar:app/target/lib/*"

gen() { # dir eventsPerDay noise
  if [ ! -f "$1/truth.json" ]; then
    rm -rf "$1"
    ./secrettrail generate --out "$1" --days "$DAYS" --secrets "$SECRETS" --events-per-day "$2" \
      --noise-ratio "$3" --seed 1 --end "$END" >/dev/null 2>&1
  fi
}

# One broker for every run, so start-up is not counted in records/s (reported separately below).
rm -rf "$OUT/broker"
./secrettrail broker --work-dir "$OUT/broker" > "$OUT/broker.out" 2>"$OUT/broker.err" &
BROKER_PID=$!
trap 'kill $BROKER_PID 2>/dev/null || true; wait $BROKER_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q bootstrap "$OUT/broker.out" 2>/dev/null && break; sleep 0.5; done
BOOT=$(sed -n 's/^bootstrap: //p' "$OUT/broker.out")
[ -n "$BOOT" ] || { echo "broker did not start; see $OUT/broker.err" >&2; exit 1; }

measure() { # label command... ; sets M_WALL M_RSS and M_OUT
  local log="$OUT/$1.log"
  shift
  python3 bench/measure.py "$@" > "$log.out" 2> "$log"
  M_OUT=$(cat "$log.out")
  read -r _ M_WALL M_RSS < <(grep '^MEASURE' "$log" | tail -1)
}

ours() { # label trailDir heap
  measure "$1" env SECRETTRAIL_HEAP="$3" SECRETTRAIL_JAVA_OPTS="-Xlog:gc:file=$OUT/gc-$1.log" \
    ./secrettrail analyze --kafka "$BOOT" --work-dir "$OUT/work-$1" \
    --trail "$2/trail" --inventory "$2/inventory" --as-of "$END" --out "$OUT/report-$1.json"
  O_PIPE=$(sed -n 's/^secrettrail: pipeline \([0-9.]*\) s.*/\1/p' "$OUT/$1.log")
  O_REPORT=$(sed -n 's/^secrettrail: report \([0-9.]*\) s.*/\1/p' "$OUT/$1.log")
  O_REC=$(python3 -c "import json;print(json.load(open('$OUT/report-$1.json'))['ingest']['records'])")
  O_WALL=$M_WALL; O_RSS=$M_RSS
  # High-water mark of the heap left after any collection (old-generation garbage included).
  O_LIVE=$(python3 -c "import re;print(max([int(m) for m in re.findall(r'->(\d+)M\(', open('$OUT/gc-$1.log').read())] or [0]))")
}

row() { printf "%-34s %10s %9s %12s %9s\n" "$@"; }
rate() { python3 -c "print(f'{$1/$2:,.0f}')"; }
ratio() { python3 -c "print(f'{$1:.2f}x')"; }

run_set() { # label eventsPerDay noise
  local dir="$OUT/trail-$1"
  gen "$dir" "$2" "$3"
  ours "$1" "$dir" "$HEAP"
  measure "duckdb-$1" java -cp "$CP" bench/DuckDbReadJson.java "$dir/trail"
  read -r D_REC D_SECS _ <<< "$M_OUT"; D_RSS=$M_RSS
  measure "jackson-$1" java -cp "$CP" bench/JacksonPass.java "$dir/trail"
  read -r J_REC J_SECS _ <<< "$M_OUT"; J_RSS=$M_RSS
  echo
  echo "== trail $1: $O_REC records, noise $3, $(find "$dir/trail" -name '*.json.gz' | wc -l) files, $(du -sh "$dir/trail" | cut -f1) gzip"
  row "" "seconds" "records" "records/s" "peak RSS"
  row "secrettrail analyze (pipeline)" "$O_PIPE" "$O_REC" "$(rate "$O_REC" "$O_PIPE")" "${O_RSS} MB"
  row "secrettrail analyze (whole JVM)" "$O_WALL" "$O_REC" "$(rate "$O_REC" "$O_WALL")" ""
  row "  of which the report (13 rules)" "$O_REPORT" "" "" ""
  row "(a) DuckDB read_json" "$D_SECS" "$D_REC" "$(rate "$D_REC" "$D_SECS")" "${D_RSS} MB"
  row "(b) bare Jackson pass, 1 thread" "$J_SECS" "$J_REC" "$(rate "$J_REC" "$J_SECS")" "${J_RSS} MB"
  echo "ratio pipeline vs (a) DuckDB read_json: $(ratio "$D_SECS/$O_PIPE")   vs (b) bare Jackson: $(ratio "$J_SECS/$O_PIPE")"
  echo "ratio whole JVM vs (a) DuckDB read_json: $(ratio "$D_SECS/$O_WALL")"
}

SECTIONS=${SECTIONS:-"mixed noisy heap names startup"}
echo "SecretTrail benchmark — $(nproc) cores, $(java -version 2>&1 | head -1), heap $HEAP"
case " $SECTIONS " in *" mixed "*) run_set mixed "$EPD" 0.5 ;; esac
case " $SECTIONS " in *" noisy "*) run_set noisy $((EPD / 10)) 0.95 ;; esac

gen "$OUT/trail-small" $((EPD / 10)) 0.5
case " $SECTIONS " in *" heap "*)
  echo
  echo "== heap: the same mix of events, a trail 10x larger, the same -Xmx384m"
  gen "$OUT/trail-mixed" "$EPD" 0.5
  ours small "$OUT/trail-small" -Xmx384m; S_REC=$O_REC; S_RSS=$O_RSS; S_LIVE=$O_LIVE
  ours large "$OUT/trail-mixed" -Xmx384m; L_REC=$O_REC; L_RSS=$O_RSS; L_LIVE=$O_LIVE
  row "" "" "records" "heap after GC" "peak RSS"
  row "small trail" "" "$S_REC" "${S_LIVE} MB" "${S_RSS} MB"
  row "large trail" "" "$L_REC" "${L_LIVE} MB" "${L_RSS} MB"
  echo "records x$(python3 -c "print(f'{$L_REC/$S_REC:.1f}')"), heap after GC (max) x$(python3 -c "print(f'{$L_LIVE/max($S_LIVE,1):.2f}')"), peak RSS x$(python3 -c "print(f'{$L_RSS/$S_RSS:.2f}')")"
;; esac

case " $SECTIONS " in *" names "*)
  echo
  echo "== names: the report on 250,000 refused reads of random names vs the same calls on 100 names, $HEAP"
  java "$HEAP" -cp "$CP" bench/NameFloodBench.java "$OUT" "${NAME_CALLS:-250000}" 2>/dev/null
;; esac

case " $SECTIONS " in *" startup "*)
  echo
  echo "== start-up: ./secrettrail analyze --kafka embedded on the small trail (broker start included)"
  measure embedded ./secrettrail analyze --work-dir "$OUT/work-embedded" --trail "$OUT/trail-small/trail" \
    --inventory "$OUT/trail-small/inventory" --as-of "$END" --out "$OUT/report-embedded.json"
  echo "whole command: $M_WALL s"
;; esac
