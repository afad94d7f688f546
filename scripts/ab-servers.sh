#!/usr/bin/env bash
# A/B (or A/B/C) of ChatServer binaries on this machine, in one run: the servers run side by
# side (fresh, --port 0, --max-connections 20000) and take turns, round after round, in an order
# that rotates, under the same ChatBench binary, so the noise of a shared machine falls on all.
#
#   scripts/ab-servers.sh CHATBENCH ROUNDS NAME=SERVER NAME=SERVER [NAME=SERVER …]
#   (SERVER is a binary and any options of its own, as one argument: "after=… --rate-limits off")
#
# Each turn runs
#   ChatBench requests --connections 32 --duration 5
#   ChatBench fanout --subscribers 1000 --lobbies 1 --messages 2000
# and the script prints one markdown table: every run's figure, each side's median, and each
# median over the first side's. (GET /chat is left out: its answer grows as fan-out runs add
# lobbies, so its runs do not compare.)
#
# AB_POSTGRES=1: durable posts instead. The script starts a throwaway PostgreSQL cluster
# (scripts/pg-cluster, synchronous_commit on), each server on a schema of its own, and each turn is
#   ChatBench requests --routes post --lobbies 1 --connections AB_CONNECTIONS (default 32) --duration AB_DURATION (default 10)
#   ChatBench requests --routes post --lobbies 100 (the same)
# with the cluster's CPU (its processes' user + system time, /proc) per post in the table.
#
# AB_READS=1: reads instead, each turn
#   ChatBench requests --routes list --connections AB_CONNECTIONS --duration AB_DURATION
#   ChatBench requests --routes history (the same; a lobby's latest 100 messages)
# With AB_POSTGRES=1 too, the servers named in AB_MEMORY (comma-separated) stay on the memory
# store, so PostgreSQL and memory compare in one run. Each run adds a lobby to the server's
# list; the turns rotate, so every side lists as many at the same round.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 CHATBENCH ROUNDS NAME=SERVER NAME=SERVER [NAME=SERVER …]" >&2; exit 2; }
bench=$1 rounds=$2
shift 2
names=() binaries=() ports=() pids=()
work=$(mktemp -d)
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${cluster:-}" ] && { "$(dirname "$0")/pg-cluster" stop "$cluster" >/dev/null 2>&1 || true; }
    if [ "${KEEP_WORK:-}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
postgres=${AB_POSTGRES:-0} duration=${AB_DURATION:-10} connections=${AB_CONNECTIONS:-32}
reads=${AB_READS:-0} memory=",${AB_MEMORY:-},"
if [ "$postgres" = 1 ]; then
    chmod 755 "$work"  # the cluster's own user reaches its folder in it
    cluster="$work/pg"
    database_url=$("$(dirname "$0")/pg-cluster" start "$cluster")
fi
# CPU seconds the cluster's processes (the postmaster and its children) have used so far.
cluster_cpu() {
    local postmaster; postmaster=$(head -1 "$cluster/data/postmaster.pid")
    # Fields 14 and 15 of /proc/PID/stat (after the command in parentheses): utime, stime in ticks.
    for pid in "$postmaster" $(pgrep -P "$postmaster"); do sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null || true; done |
        awk -v hz="$(getconf CLK_TCK)" '{ ticks += $12 + $13 } END { printf "%.3f\n", ticks / hz }'
}

for spec in "$@"; do
    # SERVER may carry its own options after the binary ("after=/path/ChatServer --rate-limits off").
    name=${spec%%=*}
    read -r -a command <<<"${spec#*=}"
    binary=${command[0]}
    if [ "$postgres" = 1 ] && [[ "$memory" != *",$name,"* ]]; then
        command+=(--database-url "$database_url" --database-schema "ab_$name")
    fi
    "${command[@]}" --port 0 --max-connections 20000 > "$work/$name.log" 2>&1 &
    pid=$!
    pids+=("$pid")  # now, so that cleanup stops it even if it never says its port
    port=""
    for _ in $(seq 100); do
        port=$(sed -n 's|^ChatServer listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$work/$name.log" 2>/dev/null)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "$name did not start:" >&2; cat "$work/$name.log" >&2; exit 1; }
    names+=("$name") binaries+=("$binary") ports+=("$port")
done

count=${#names[@]}
for round in $(seq "$rounds"); do
    for offset in $(seq 0 $((count - 1))); do
        i=$(( (round - 1 + offset) % count ))
        target=(--base-url "http://127.0.0.1:${ports[$i]}" --server-pid "${pids[$i]}" --json)
        echo "round $round: ${names[$i]}" >&2
        if [ "$reads" = 1 ]; then
            for route in list history; do
                before=$( [ "$postgres" = 1 ] && cluster_cpu || echo 0)
                "$bench" requests --routes "$route" --connections "$connections" --duration "$duration" "${target[@]}" \
                    > "$work/${names[$i]}-$round-$route.json" \
                    || { echo "requests failed on ${names[$i]}; its log:" >&2; tail -20 "$work/${names[$i]}.log" >&2; exit 1; }
                if [ "$postgres" = 1 ] && [[ "$memory" != *",${names[$i]},"* ]]; then
                    echo "$before $(cluster_cpu)" > "$work/${names[$i]}-$round-$route.cluster"
                fi
            done
            continue
        fi
        if [ "$postgres" = 1 ]; then
            for lobbies in 1 100; do
                before=$(cluster_cpu)
                "$bench" requests --routes post --lobbies "$lobbies" --connections "$connections" --duration "$duration" "${target[@]}" \
                    > "$work/${names[$i]}-$round-posts$lobbies.json" \
                    || { echo "requests failed on ${names[$i]}; its log:" >&2; tail -20 "$work/${names[$i]}.log" >&2; exit 1; }
                echo "$before $(cluster_cpu)" > "$work/${names[$i]}-$round-posts$lobbies.cluster"
            done
            continue
        fi
        "$bench" requests --connections 32 --duration 5 "${target[@]}" > "$work/${names[$i]}-$round-requests.json" \
            || { echo "requests failed on ${names[$i]}; its log:" >&2; tail -20 "$work/${names[$i]}.log" >&2; exit 1; }
        "$bench" fanout --subscribers 1000 --lobbies 1 --messages 2000 "${target[@]}" > "$work/${names[$i]}-$round-fanout.json" \
            || { echo "fanout failed on ${names[$i]}; its log:" >&2; tail -20 "$work/${names[$i]}.log" >&2; exit 1; }
    done
done

python3 - "$work" "$rounds" "$postgres" "$reads" "${names[@]}" <<'PY'
import json, os, re, statistics, sys
work, rounds, postgres, reads, names = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4] == "1", sys.argv[5:]
rows = {}  # label -> {name: [values]}
def add(label, name, value):
    rows.setdefault(label, {n: [] for n in names})[name].append(value)
def add_requests(name, result, cluster=None):
    # GET /chat's label names how many lobbies it listed, which grows run by run.
    route = re.sub(r"^GET /chat \(.*\)$", "GET /chat", result["route"])
    add(f"`{route}`, req/s", name, result["requestsPerSecond"])
    cpu = result["cpu"].get("serverSeconds")
    if cpu and result["requests"]:
        add(f"`{route}`, server CPU µs/request", name, cpu / result["requests"] * 1e6)
    if cluster is not None and result["requests"]:
        add(f"`{route}`, PostgreSQL CPU µs/request", name, cluster / result["requests"] * 1e6)
        c = result["cpu"]
        others = c["machineBusySeconds"] - c["benchSeconds"] - (cpu or 0) - cluster
        add(f"`{route}`, others' CPU (cores busy with neither)", name, others / c["wallSeconds"])
    add(f"`{route}`, p99 ms", name, result["latency"]["p99Milliseconds"])
for name in names:
    for r in range(1, rounds + 1):
        if reads:
            for route in ("list", "history"):
                cluster = f"{work}/{name}-{r}-{route}.cluster"
                spent = None
                if os.path.exists(cluster):
                    before, after = map(float, open(cluster).read().split())
                    spent = after - before
                for result in json.load(open(f"{work}/{name}-{r}-{route}.json"))["requests"]:
                    add_requests(name, result, spent)
            continue
        if postgres:
            for lobbies in (1, 100):
                before, after = map(float, open(f"{work}/{name}-{r}-posts{lobbies}.cluster").read().split())
                for result in json.load(open(f"{work}/{name}-{r}-posts{lobbies}.json"))["requests"]:
                    add_requests(name, result, after - before)
            continue
        for result in json.load(open(f"{work}/{name}-{r}-requests.json"))["requests"]:
            route = result["route"]
            if not route.startswith("GET /chat ("):
                add_requests(name, result)
        for result in json.load(open(f"{work}/{name}-{r}-fanout.json"))["fanout"]:
            add("fan-out 1,000 subscribers, deliveries/s", name, result["deliveriesPerSecond"])
            add("fan-out 1,000 subscribers, p99 ms", name, result["latency"]["p99Milliseconds"])
def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"
first = names[0]
header = ["scenario"] + [f"{n} runs" for n in names] + [f"{n} median" for n in names] + [f"{n}/{first}" for n in names[1:]]
print("| " + " | ".join(header) + " |")
print("|" + " --- |" * len(header))
for label, sides in rows.items():
    # A side may have no figure for a row (a memory server has no PostgreSQL CPU).
    medians = {n: statistics.median(sides[n]) if sides[n] else None for n in names}
    cells = [label] + [" · ".join(map(fmt, sides[n])) or "–" for n in names]
    cells += [fmt(medians[n]) if medians[n] is not None else "–" for n in names]
    cells += [f"{medians[n] / medians[first]:.2f}" if medians[n] is not None and medians[first] else "–" for n in names[1:]]
    print("| " + " | ".join(cells) + " |")
PY
