#!/usr/bin/env bash
# SecretTrail benchmark (a script, not a test): issue 16's target table and its baselines from ONE run.
# On each generated trail, in the same run:
#   ours      the WHOLE ./secrettrail analyze --kafka embedded command (broker start, JVM, report), wall
#             time and peak RSS of the analyze JVM; its "pipeline" line (first file read to last event
#             in DuckDB) is read from its log
#   (a)       DuckDB doing the same work: bench/duckdb-same-work.sql (and, beside it, the older
#             bench/duckdb-count-only.sql), timed inside bench/DuckDbReadJson.java around the query alone
#   (b)       a bare single-threaded Jackson streaming pass (bench/JacksonPass.java)
# Trails (same seed, ~420k records each): sm90 (90% Secrets Manager), mixed (50%), noisy (5%), and busy
# (90%, 23,040 five-minute files: 20 days x 288 files x 2 accounts x 2 regions, the generator's topology).
# Then the heap check (a trail 10x larger under the same small -Xmx), the name flood and start-up.
# Usage: bench/run.sh                SECTIONS picks parts, e.g. SECTIONS="noisy heap" bench/run.sh
#   sections: sm90 mixed noisy busy (trails; the table shows the ones run), heap, names, startup, serve,
#   profile (not in the default set: the 90% trail again under JFR, and its flame summary)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${BENCH_OUT:-bench/out}   # generated trails are kept there and reused
DAYS=${DAYS:-7}
SECRETS=${SECRETS:-500}
EPD=${EPD:-30000}           # Secrets Manager events per day on the 50% trail; the others keep ~ the same records
END=2026-11-21T00:00:00Z
HEAP=${HEAP:-}              # empty: the launcher's default heap, as a user runs it
RSS_TARGET_MB=768
mkdir -p "$OUT"
./secrettrail --version >/dev/null   # builds on first use
CP="app/target/secrettrail.jar:app/target/lib/*"

gen() { # dir days eventsPerDay noise
  if [ ! -f "$1/truth.json" ]; then
    rm -rf "$1"
    ./secrettrail generate --out "$1" --days "$2" --secrets "$SECRETS" --events-per-day "$3" \
      --noise-ratio "$4" --seed 1 --end "$END" >/dev/null 2>&1
  fi
}

measure() { # label command... ; sets M_WALL M_RSS (command or any child) M_OWN (the process itself) M_KIDS, M_OUT
  local log="$OUT/$1.log"
  shift
  python3 bench/measure.py "$@" > "$log.out" 2> "$log" || { echo "failed: $* (see $log)" >&2; tail -5 "$log" >&2; exit 1; }
  M_OUT=$(cat "$log.out")
  read -r _ M_WALL M_RSS M_OWN M_KIDS < <(grep '^MEASURE' "$log" | tail -1)
}

ours() { # label trailDir heap(-Xmx..., or empty for the launcher's default)
  rm -rf "$OUT/work-$1"
  measure "$1" env ${3:+SECRETTRAIL_HEAP="$3"} SECRETTRAIL_JAVA_OPTS="-Xlog:gc:file=$OUT/gc-$1.log" \
    ./secrettrail analyze --kafka embedded --work-dir "$OUT/work-$1" \
    --trail "$2/trail" --inventory "$2/inventory" --as-of "$END" --out "$OUT/report-$1.json"
  O_PIPE=$(sed -n 's/^secrettrail: pipeline \([0-9.]*\) s.*/\1/p' "$OUT/$1.log")
  O_REPORT=$(sed -n 's/^secrettrail: report \([0-9.]*\) s.*/\1/p' "$OUT/$1.log")
  O_REC=$(python3 -c "import json;print(json.load(open('$OUT/report-$1.json'))['ingest']['records'])")
  O_WALL=$M_WALL; O_RSS=$M_OWN; O_BROKER=$M_KIDS
  # High-water mark of the heap left after any collection (old-generation garbage included).
  O_LIVE=$(python3 -c "import re;print(max([int(m) for m in re.findall(r'->(\d+)M\(', open('$OUT/gc-$1.log').read())] or [0]))")
}

disk() { # workDir storedEvents: the store's and the events topic's bytes, per stored event and per 10M
  local db kafka
  db=$(du -sb "$1/secrettrail.duckdb" | cut -f1); kafka=$(du -sb "$1/kafka" | cut -f1)
  python3 -c "d,k,n=$db,$kafka,$2
print(f'disk: DuckDB {d/1e6:.1f} MB ({d/n:.0f} B per stored event), broker {k/1e6:.1f} MB ({k/n:.0f} B);'
      f' at that rate 10M stored events take {d/n*1e7/1e9:.1f} GB + {k/n*1e7/1e9:.1f} GB')"
}

row() { printf "%-36s %10s %9s %12s %9s\n" "$@"; }
rate() { python3 -c "print(f'{$1/$2:,.0f}')"; }
ratio() { python3 -c "print(f'{$1:.2f}')"; }
met() { python3 -c "print('met' if $1 else 'not met')"; }

declare -A T_DESC T_REC T_FILES T_WALL T_PIPE T_DUCK T_JACK T_RSS T_BROKER T_DT T_JT
TRAILS_RUN=()
run_set() { # label days eventsPerDay noise duckTarget jacksonTarget description
  local dir="$OUT/trail-$1"
  gen "$dir" "$2" "$3" "$4"
  ours "$1" "$dir" "$HEAP"
  measure "duckdb-same-$1" java -cp "$CP" bench/DuckDbReadJson.java bench/duckdb-same-work.sql "$dir/trail"
  read -r S_ROWS S_SECS _ S_IDS <<< "$M_OUT"; S_RSS=$M_RSS
  measure "duckdb-count-$1" java -cp "$CP" bench/DuckDbReadJson.java bench/duckdb-count-only.sql "$dir/trail"
  read -r _ C_SECS C_REC C_IDS <<< "$M_OUT"; C_RSS=$M_RSS
  measure "jackson-$1" java -cp "$CP" bench/JacksonPass.java "$dir/trail"
  read -r J_REC J_SECS _ <<< "$M_OUT"; J_RSS=$M_RSS
  local files truth
  files=$(find "$dir/trail" -name '*.json.gz' | wc -l)
  truth=$(python3 -c "import json;print(json.load(open('$dir/truth.json'))['ingest']['secretsManagerEvents'])")
  echo
  echo "== trail $1 ($7): $O_REC records, $truth unique Secrets Manager events, noise $4, $files files, $(du -sh "$dir/trail" | cut -f1) gzip"
  row "" "seconds" "records" "records/s" "peak RSS"
  row "secrettrail analyze, whole command" "$O_WALL" "$O_REC" "$(rate "$O_REC" "$O_WALL")" "${O_RSS} MB"
  row "  of which the pipeline" "$O_PIPE" "$O_REC" "$(rate "$O_REC" "$O_PIPE")" ""
  row "  of which the report" "$O_REPORT" "" "" ""
  row "  embedded broker (own process)" "" "" "" "${O_BROKER} MB"
  row "(a) DuckDB same work ($S_ROWS groups)" "$S_SECS" "$O_REC" "$(rate "$O_REC" "$S_SECS")" "${S_RSS} MB"
  row "(a') DuckDB count only" "$C_SECS" "$C_REC" "$(rate "$C_REC" "$C_SECS")" "${C_RSS} MB"
  row "(b) bare Jackson pass, 1 thread" "$J_SECS" "$J_REC" "$(rate "$J_REC" "$J_SECS")" "${J_RSS} MB"
  [ "$S_IDS" = "$truth" ] && [ "$C_IDS" = "$truth" ] \
    || echo "warning: DuckDB counted $S_IDS / $C_IDS Secrets Manager events, truth.json says $truth"
  echo "ratios: whole command vs (a) $(ratio "$S_SECS/$O_WALL")x, vs (a') $(ratio "$C_SECS/$O_WALL")x;" \
    "pipeline vs (a') $(ratio "$C_SECS/$O_PIPE")x, vs (b) $(ratio "$J_SECS/$O_PIPE")x"
  disk "$OUT/work-$1" "$truth"
  T_DESC[$1]=$7; T_REC[$1]=$O_REC; T_FILES[$1]=$files; T_WALL[$1]=$O_WALL; T_PIPE[$1]=$O_PIPE
  T_DUCK[$1]=$S_SECS; T_JACK[$1]=$J_SECS; T_RSS[$1]=$O_RSS; T_BROKER[$1]=$O_BROKER; T_DT[$1]=$5; T_JT[$1]=$6
  TRAILS_RUN+=("$1")
}

SECTIONS=${SECTIONS:-"sm90 mixed noisy busy heap names startup serve"}
has() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }
echo "SecretTrail benchmark — $(nproc) cores, $(java -version 2>&1 | head -1), heap ${HEAP:-launcher default}," \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%Y-%m-%dT%H:%MZ)"
# label days eventsPerDay noise | targets: DuckDB-same-work/whole-command, Jackson/pipeline | description
has sm90 && run_set sm90 "$DAYS" $((EPD * 9 / 5)) 0.1 2 0.3 "90% Secrets Manager"
has mixed && run_set mixed "$DAYS" "$EPD" 0.5 2.5 0.4 "50% Secrets Manager"
has noisy && run_set noisy "$DAYS" $((EPD / 10)) 0.95 5 0.6 "5% Secrets Manager"
# busy account: 20 days of 5-minute files, the 90% trail's records spread over them (same targets as 90%)
has busy && run_set busy 20 $((EPD * 9 * DAYS / 5 / 20)) 0.1 2 0.3 "busy account, 90% Secrets Manager"

HEAP_ROW=""
if has heap; then
  echo
  echo "== heap: the same mix of events, a trail 10x larger, the same -Xmx384m"
  gen "$OUT/trail-small" "$DAYS" $((EPD / 10)) 0.5
  gen "$OUT/trail-mixed" "$DAYS" "$EPD" 0.5
  ours small "$OUT/trail-small" -Xmx384m; S_REC=$O_REC; S_RSS=$O_RSS; S_LIVE=$O_LIVE
  ours large "$OUT/trail-mixed" -Xmx384m; L_REC=$O_REC; L_RSS=$O_RSS; L_LIVE=$O_LIVE
  row "" "" "records" "heap after GC" "peak RSS"
  row "small trail" "" "$S_REC" "${S_LIVE} MB" "${S_RSS} MB"
  row "large trail" "" "$L_REC" "${L_LIVE} MB" "${L_RSS} MB"
  H_X=$(python3 -c "print(f'{$L_LIVE/max($S_LIVE,1):.2f}')")
  echo "records x$(python3 -c "print(f'{$L_REC/$S_REC:.1f}')"), heap after GC (max) x$H_X, peak RSS x$(python3 -c "print(f'{$L_RSS/$S_RSS:.2f}')")"
  HEAP_ROW="| heap: trail 10x larger ($S_REC -> $L_REC records), -Xmx384m | heap after GC ${S_LIVE} -> ${L_LIVE} MB | x$H_X | <= 1.5x | $(met "$H_X <= 1.5") |"
fi

if has names; then
  echo
  echo "== hostile shapes: 250,000 refused reads of random names (vs 100 names), 50,000 user agents on one secret"
  echo "   (vs 10), ${HEAP:--Xmx512m}; report time, size and heap (bench/HostileShapesBench.java)"
  java "${HEAP:--Xmx512m}" -cp "$CP" bench/HostileShapesBench.java "$OUT" "${NAME_CALLS:-250000}" "${AGENT_CALLS:-50000}" 2>/dev/null
fi

if has startup; then
  echo
  echo "== start-up: ./secrettrail analyze --kafka embedded on the small trail (broker start included)"
  gen "$OUT/trail-small" "$DAYS" $((EPD / 10)) 0.5
  rm -rf "$OUT/work-embedded"
  measure embedded ./secrettrail analyze --kafka embedded --work-dir "$OUT/work-embedded" --trail "$OUT/trail-small/trail" \
    --inventory "$OUT/trail-small/inventory" --as-of "$END" --out "$OUT/report-embedded.json"
  echo "whole command: $M_WALL s"
fi

if has serve; then
  echo
  echo "== serve: a trail file landing in a watched directory -> its alert's webhook (bench/ServeLatency.java)"
  gen "$OUT/trail-small" "$DAYS" $((EPD / 10)) 0.5
  rm -rf "$OUT/serve-empty" "$OUT/serve-small"
  echo "-- on an empty store"
  java -cp "$CP" bench/ServeLatency.java "$OUT/serve-empty" "${SERVE_FILES:-20}" 2>"$OUT/serve-empty.log"
  echo "-- after the small trail ($(find "$OUT/trail-small/trail" -name '*.json.gz' | wc -l) files) was consumed"
  java -cp "$CP" bench/ServeLatency.java "$OUT/serve-small" "${SERVE_FILES:-20}" "$OUT/trail-small/trail" 2>"$OUT/serve-small.log"
fi

if has profile; then
  echo
  echo "== profile: analyze on the 90% trail under JFR (settings=profile), its flame summary (bench/jfr-summary.py)"
  gen "$OUT/trail-sm90" "$DAYS" $((EPD * 9 / 5)) 0.1
  rm -rf "$OUT/work-profile"
  SECRETTRAIL_JAVA_OPTS="-XX:StartFlightRecording=filename=$OUT/profile.jfr,settings=profile" \
    ./secrettrail analyze --kafka embedded --work-dir "$OUT/work-profile" --trail "$OUT/trail-sm90/trail" \
    --inventory "$OUT/trail-sm90/inventory" --as-of "$END" --out "$OUT/report-profile.json" 2>"$OUT/profile.log"
  grep -E '^secrettrail: (pipeline|report)' "$OUT/profile.log"
  python3 bench/jfr-summary.py "$OUT/profile.jfr" "${PROFILE_TOP:-10}"
fi

if [ ${#TRAILS_RUN[@]} -gt 0 ] || [ -n "$HEAP_ROW" ]; then
  echo
  echo "== issue 16 targets (this run; DuckDB = bench/duckdb-same-work.sql, its query alone; ours = the whole command)"
  echo "| trail | records | files | analyze s | DuckDB s | DuckDB/analyze | target | | pipeline s | Jackson s | Jackson/pipeline | target | | analyze JVM peak RSS | <= $RSS_TARGET_MB MB |"
  echo "|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|---|--:|---|"
  for t in "${TRAILS_RUN[@]}"; do
    d=$(ratio "${T_DUCK[$t]}/${T_WALL[$t]}"); j=$(ratio "${T_JACK[$t]}/${T_PIPE[$t]}")
    echo "| ${T_DESC[$t]} | ${T_REC[$t]} | ${T_FILES[$t]} | ${T_WALL[$t]} | ${T_DUCK[$t]} | ${d}x | >= ${T_DT[$t]}x | $(met "$d >= ${T_DT[$t]}") |" \
      "${T_PIPE[$t]} | ${T_JACK[$t]} | ${j}x | >= ${T_JT[$t]}x | $(met "$j >= ${T_JT[$t]}") | ${T_RSS[$t]} MB | $(met "${T_RSS[$t]} <= $RSS_TARGET_MB") |"
  done
  if [ -n "$HEAP_ROW" ]; then
    echo
    echo "| check | measured | ratio | target | |"
    echo "|---|---|--:|--:|---|"
    echo "$HEAP_ROW"
  fi
  brokers=""; for t in "${TRAILS_RUN[@]}"; do brokers+=" $t ${T_BROKER[$t]} MB,"; done
  echo "(the embedded broker is its own process, not in the analyze JVM's RSS:${brokers%,})"
fi
