#!/usr/bin/env bash
# A/B of two ChatServer binaries on this machine, in one run: both servers run side by side
# (fresh, --port 0, --max-connections 20000) and take turns, round after round, under the same
# ChatBench binary, so the noise of a shared machine falls on both alike.
#
#   scripts/ab-servers.sh OLD_SERVER NEW_SERVER CHATBENCH [ROUNDS]
#
# Each round runs, on old then new (new then old on even rounds):
#   ChatBench requests --connections 32 --duration 5
#   ChatBench fanout --subscribers 1000 --lobbies 1 --messages 2000
# and prints one markdown table: every run's figure, the median of each side, and new/old.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 OLD_SERVER NEW_SERVER CHATBENCH [ROUNDS]" >&2; exit 2; }
old=$1 new=$2 bench=$3 rounds=${4:-3}
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

start() {  # start NAME BINARY → sets port_NAME and pid_NAME
    local name=$1 binary=$2 port=""
    "$binary" --port 0 --max-connections 20000 > "$work/$name.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 100); do
        port=$(sed -n 's|^ChatServer listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$work/$name.log")
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "$name did not start:" >&2; cat "$work/$name.log" >&2; exit 1; }
    printf -v "port_$name" '%s' "$port"
    printf -v "pid_$name" '%s' "$pid"
}
start old "$old"
start new "$new"

run() {  # run NAME ROUND
    local name=$1 round=$2 port pid
    port=$(eval echo "\$port_$name")
    pid=$(eval echo "\$pid_$name")
    local target=(--base-url "http://127.0.0.1:$port" --server-pid "$pid" --json)
    echo "round $round: $name" >&2
    "$bench" requests --connections 32 --duration 5 "${target[@]}" > "$work/$name-$round-requests.json"
    "$bench" fanout --subscribers 1000 --lobbies 1 --messages 2000 "${target[@]}" > "$work/$name-$round-fanout.json"
}
for round in $(seq "$rounds"); do
    if [ $((round % 2)) = 1 ]; then run old "$round"; run new "$round"; else run new "$round"; run old "$round"; fi
done

python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
rows = {}  # label -> {side: [values]}
def add(label, side, value):
    rows.setdefault(label, {"old": [], "new": []})[side].append(value)
for side in ("old", "new"):
    for r in range(1, rounds + 1):
        requests = json.load(open(f"{work}/{side}-{r}-requests.json"))
        for result in requests["requests"]:
            add(f"`{result['route']}`, req/s", side, result["requestsPerSecond"])
            add(f"`{result['route']}`, p99 ms", side, result["latency"]["p99Milliseconds"])
            cpu = result["cpu"].get("serverSeconds")
            if cpu and result["requests"]:
                add(f"`{result['route']}`, server CPU µs/request", side, cpu / result["requests"] * 1e6)
        fanout = json.load(open(f"{work}/{side}-{r}-fanout.json"))
        for result in fanout["fanout"]:
            add("fan-out 1,000 subscribers, deliveries/s", side, result["deliveriesPerSecond"])
            add("fan-out 1,000 subscribers, p99 ms", side, result["latency"]["p99Milliseconds"])
def fmt(v):
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"
print("| scenario | old runs | new runs | old median | new median | new/old |")
print("| --- | --- | --- | --- | --- | --- |")
for label, sides in rows.items():
    o, n = statistics.median(sides["old"]), statistics.median(sides["new"])
    print(f"| {label} | {' · '.join(map(fmt, sides['old']))} | {' · '.join(map(fmt, sides['new']))} | {fmt(o)} | {fmt(n)} | {n / o:.2f} |")
PY
