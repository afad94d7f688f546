#!/usr/bin/env bash
# Benchmarks ChatServer with ChatBench.
#
#   scripts/benchmarks.sh           builds both in release, starts the server on port 0, runs every
#                                   scenario at the published sizes, stops the server (SIGTERM, exit 0
#                                   expected), and writes BENCHMARKS.md (2 to 3 minutes after the build,
#                                   plus any wait for the shared machine to be quiet)
#   scripts/benchmarks.sh --quick   the same with tiny sizes (a correctness smoke run for CI); prints
#                                   the tables and writes nothing
#
# Builds go to the scratch path .build-bench (not .build), so they never disturb other builds.
# Environment: BENCH_JOBS (build jobs, default: all cores), BENCH_PROFILE=0 (skip the perf profile),
# BENCH_QUIET_WAIT (seconds to wait for an idle machine before each scenario, default 120).
# Exits non-zero when a scenario failed (loss, duplicate, reordering, errors) or the server did not
# exit 0; BENCHMARKS.md is written either way and says what failed.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full
case "${1:-}" in
    --quick) mode=quick ;;
    "") ;;
    *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

log() { printf '\n== %s\n' "$*" >&2; }

scratch=.build-bench
jobs=${BENCH_JOBS:-$(nproc)}
started=$(date +%s)

log "build (release, --scratch-path $scratch, -j $jobs)"
for product in ChatServer ChatBench; do
    swift build -c release --scratch-path "$scratch" -j "$jobs" --product "$product"
done
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
bin=${bin#"$PWD/"}

work=$(mktemp -d)
server_pid=""
perf_pid=""
cleanup() {
    if [ -n "$perf_pid" ] && kill -0 "$perf_pid" 2>/dev/null; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Enough connections for 10,000 held streams plus the load of the other scenarios.
# A load tool is one client at machine speed: the per-client limits would only measure 429s.
server_command=("$bin/ChatServer" --port 0 --max-connections 20000 --rate-limits off --max-streams-per-user 100000 --max-connections-per-client 0 --max-idle-connections-per-client 0 --max-streams-per-client 0)
log "server: ${server_command[*]}"
"${server_command[@]}" > "$work/server.log" 2>&1 &
server_pid=$!
measured_pid=$server_pid
port=""
for _ in $(seq 100); do
    port=$(sed -n 's|^ChatServer listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$work/server.log")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    echo "the server did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
fi
target=(--base-url "http://127.0.0.1:$port" --server-pid "$server_pid")

failed=0
stop_server() {
    log "stop the server (SIGTERM)"
    kill -TERM "$server_pid"
    set +e
    wait "$server_pid"
    server_status=$?
    set -e
    server_pid=""
    if [ "$server_status" != 0 ]; then
        echo "the server exited $server_status after SIGTERM" >&2
        failed=1
    fi
}

if [ "$mode" = quick ]; then
    log "ChatBench all --quick"
    "$bin/ChatBench" all "${target[@]}" --quick || failed=1
    stop_server
    log "quick run done in $(( $(date +%s) - started )) s (build included), server exit $server_status"
    exit "$failed"
fi

# /proc/stat's busy and total ticks, to say how busy the whole machine was during the runs.
cpu_ticks() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
read -r busy_before total_before < <(cpu_ticks)

# The machine is shared: before each scenario, wait (up to BENCH_QUIET_WAIT seconds, default
# 120) for a second in which all cores together are less than 15% busy, so other work disturbs
# the figures as little as it can. The "others' CPU" columns show what disturbance remained.
quiet_wait=${BENCH_QUIET_WAIT:-120}
wait_for_quiet() {
    local waited=0 busy total busy2 total2 share=0
    while [ "$waited" -lt "$quiet_wait" ]; do
        read -r busy total < <(cpu_ticks)
        sleep 1
        read -r busy2 total2 < <(cpu_ticks)
        share=$(( (total2 > total) ? 100 * (busy2 - busy) / (total2 - total) : 0 ))
        [ "$share" -lt 15 ] && return 0
        waited=$((waited + 1))
    done
    echo "- the machine was still busy (${share}% of all cores) after waiting ${quiet_wait} s before: \`$*\`" >> "$work/busy"
}

# One scenario: its JSON goes to $work/NN.json, its progress to the log, its command to the list.
runs=0
scenario() {
    wait_for_quiet "$@"
    runs=$((runs + 1))
    local file
    file=$(printf '%s/%02d.json' "$work" "$runs")
    local command=("$bin/ChatBench" "$@" "${target[@]}" --json)
    echo "${command[*]}" >> "$work/commands"
    log "${command[*]}"
    if ! "${command[@]}" > "$file"; then
        failed=1
        # A scenario that could not be carried out writes no JSON; say so in the report.
        if [ ! -s "$file" ]; then
            rm -f "$file"
            echo "- \`$*\` could not be carried out (see the script's output)" >> "$work/aborted"
        fi
    fi
}

# Capacity first, on a fresh server, so freed memory of earlier scenarios cannot hide the cost
# of the streams; requests next, while GET /chat lists only a couple of small lobbies.
scenario capacity --streams 10000 --hold 5 --goal-kib-per-stream 20
scenario requests --connections 32 --duration 10
scenario fanout --subscribers 1000 --lobbies 1 --messages 1000 --rate 100 --goal-p99-ms 50
scenario fanout --subscribers 1000 --lobbies 1 --messages 2000 --goal-deliveries-per-second 200000
# The same with two tool threads: if the tool were the limit, this would deliver more.
scenario fanout --subscribers 1000 --lobbies 1 --messages 2000 --threads 2 --goal-deliveries-per-second 200000
scenario fanout --subscribers 1000 --lobbies 10 --messages 1000 --goal-deliveries-per-second 200000
log "codegen"
wait_for_quiet codegen
codegen_command=("$bin/ChatBench" codegen --spec api.yaml --runs 15 --json)
echo "${codegen_command[*]}" >> "$work/commands"
"${codegen_command[@]}" > "$work/99.json" || failed=1

read -r busy_after total_after < <(cpu_ticks)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
machine_busy=$(awk -v b="$((busy_after - busy_before))" -v t="$((total_after - total_before))" 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }')

# A profile of the server during one more full-speed fan-out (not one of the measured runs).
profile_command=("$bin/ChatBench" fanout --subscribers 1000 --messages 1000 "${target[@]}")
if [ "${BENCH_PROFILE:-1}" = 1 ] && command -v perf > /dev/null; then
    log "profile: perf record -F 999 -p $server_pid during ${profile_command[*]}"
    perf record -F 999 -p "$server_pid" -o "$work/perf.data" > "$work/perf.log" 2>&1 &
    perf_pid=$!
    sleep 1
    "${profile_command[@]}" > /dev/null 2>&1 || true
    kill -INT "$perf_pid"
    wait "$perf_pid" || true
    perf_pid=""
    perf report -i "$work/perf.data" --sort dso --stdio 2> /dev/null | grep -E '^ +[0-9]' | head -6 | sed 's/ *$//' > "$work/perf-dso.txt" || true
    perf report -i "$work/perf.data" --sort symbol --stdio 2> /dev/null | grep -E '^ +[0-9]' | head -25 \
        | swift demangle --simplified | cut -c1-160 | sed 's/ *$//' > "$work/perf-symbols.txt" || true
fi

stop_server

log "write BENCHMARKS.md"
tables=$("$bin/ChatBench" report "$work"/[0-9]*.json) || failed=1
# The hand-written analysis between the notes markers survives regeneration.
notes=""
if [ -f BENCHMARKS.md ]; then notes=$(sed -n '/^<!-- notes -->$/,/^<!-- \/notes -->$/p' BENCHMARKS.md); fi
if [ -z "$notes" ]; then notes=$'<!-- notes -->\n(No analysis yet.)\n<!-- /notes -->'; fi

{
    echo "# Benchmarks"
    echo
    echo "Written by \`scripts/benchmarks.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), from one run. The figures are"
    echo "what that run measured; the goals are reported against, not tested."
    echo
    echo "## Machine"
    echo
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores (nproc)"
    echo "- Memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "- Kernel: $(uname -sr)"
    echo "- Swift: $(swift --version 2>&1 | head -1)"
    echo "- Server and load tool share the machine (and it is shared with other work): load average"
    echo "  $load_before before the scenarios, $load_after after; all cores were ${machine_busy}% busy during"
    echo "  them (/proc/stat). Before each scenario the script waited up to ${quiet_wait} s for a quiet second"
    echo "  (all cores under 15% busy); the \"others' CPU\" columns show what went to neither the tool nor"
    echo "  the server during each one."
    if [ -f "$work/busy" ]; then cat "$work/busy"; fi
    echo
    echo "## Commands"
    echo
    echo '```sh'
    echo "swift build -c release --scratch-path $scratch --product ChatServer"
    echo "swift build -c release --scratch-path $scratch --product ChatBench"
    echo "${server_command[*]}    # pid $measured_pid; printed port $port"
    cat "$work/commands"
    echo "$bin/ChatBench report <the JSON of each run above>    # the tables below"
    echo "kill -TERM $measured_pid    # exit status $server_status"
    echo '```'
    echo
    echo "## Results"
    echo
    echo "$tables"
    if [ -f "$work/aborted" ]; then echo; cat "$work/aborted"; fi
    if [ -s "$work/perf-symbols.txt" ]; then
        echo
        echo "## Server profile"
        echo
        echo "\`perf record -F 999 -p <server>\` during one more run of \`${profile_command[*]:1}\`"
        echo "(after the measured runs; flat profile, share of the server's samples)."
        echo
        echo '```'
        cat "$work/perf-dso.txt"
        echo
        cat "$work/perf-symbols.txt"
        echo '```'
    fi
    echo
    echo "## Analysis"
    echo
    echo "$notes"
} > BENCHMARKS.md

log "done in $(( $(date +%s) - started )) s (build included); BENCHMARKS.md written"
exit "$failed"
