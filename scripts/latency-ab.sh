#!/usr/bin/env bash
# Delivery latency, A/B(/C) in one run: fresh servers side by side (--port 0), turns rotating,
# ROUNDS rounds of
#   ChatBench fanout --subscribers 1000 --lobbies 1 --messages 1000 --rate 100   (p50/p99, open loop)
#   ChatBench capacity --streams 15000 --hold 1 --checks CHECKS                  (one post → last of 15,000)
# printing one line a run, then each side's medians. CHECKS defaults to 5. A SERVER may carry
# flags of its own ("after=.build/release/ChatServer --stream-sends io-uring").
#   CHATBENCH=.build/release/ChatBench [CHECKS=10] scripts/latency-ab.sh ROUNDS NAME=SERVER NAME=SERVER …
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 ROUNDS NAME=SERVER [NAME=SERVER …]" >&2; exit 2; }
rounds=$1; shift
bench=${CHATBENCH:-.build/release/ChatBench}
checks=${CHECKS:-5}
o="--rate-limits off --max-streams-per-user 100000 --max-connections-per-client 0 --max-streams-per-client 0 --max-idle-connections-per-client 0 --max-connections 40000"
work=$(mktemp -d)
declare -a names bins pids ports
for spec in "$@"; do names+=("${spec%%=*}"); bins+=("${spec#*=}"); done
for i in "${!names[@]}"; do
  ${bins[$i]} --port 0 $o > "$work/${names[$i]}.log" 2>&1 & pids[$i]=$!
done
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
for i in "${!names[@]}"; do
  ports[$i]=""
  for _ in $(seq 1 100); do  # up to 10 s for the server to say its port
    ports[$i]=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/${names[$i]}.log" | head -1)
    [ -n "${ports[$i]}" ] && break
    sleep 0.1
  done
  [ -n "${ports[$i]}" ] || { echo "${names[$i]} printed no port" >&2; exit 1; }
done
for r in $(seq 1 "$rounds"); do
  for k in "${!names[@]}"; do
    i=$(( (k + r) % ${#names[@]} ))
    target=(--base-url "http://127.0.0.1:${ports[$i]}" --server-pid "${pids[$i]}" --json)
    "$bench" fanout --subscribers 1000 --lobbies 1 --messages 1000 --rate 100 "${target[@]}" > "$work/${names[$i]}-$r-fanout.json" 2>/dev/null
    "$bench" capacity --streams 15000 --hold 1 --checks "$checks" "${target[@]}" > "$work/${names[$i]}-$r-capacity.json" 2>/dev/null
    echo "round $r: ${names[$i]} (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  done
done
python3 - "$work" "$rounds" "$checks" "${names[@]}" <<'PY'
import json, statistics, sys
work, rounds, checks, names = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
rows = {}
def add(label, name, value):
    rows.setdefault(label, {n: [] for n in names})[name].append(value)
for name in names:
    for r in range(1, rounds + 1):
        f = json.load(open(f"{work}/{name}-{r}-fanout.json"))["fanout"][0]
        add("1,000 streams × 100 posts/s: p50 ms", name, f["latency"]["p50Milliseconds"])
        add("1,000 streams × 100 posts/s: p99 ms", name, f["latency"]["p99Milliseconds"])
        add("1,000 streams × 100 posts/s: lost + dup + reordered", name, f["lost"] + f["duplicates"] + f["reordered"])
        c = json.load(open(f"{work}/{name}-{r}-capacity.json"))["capacity"][0]
        add(f"15,000 idle streams: post answer → last stream, median of {checks}, ms", name, c["checkFromAnswerMedianMilliseconds"])
        cpu = (c.get("checkCPU") or {}).get("serverSeconds")
        if cpu is not None: add("15,000 idle streams: server CPU per check message, ms", name, cpu / checks * 1e3)
        add("15,000 idle streams: streams that got every check", name, c["receivedCheck"])
first = names[0]
fmt = lambda v: f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}"
header = ["scenario"] + [f"{n} runs" for n in names] + [f"{n} median" for n in names] + [f"{n}/{first}" for n in names[1:]]
print("| " + " | ".join(header) + " |"); print("|" + " --- |" * len(header))
for label, sides in rows.items():
    med = {n: statistics.median(sides[n]) for n in names}
    cells = [label] + [" · ".join(map(fmt, sides[n])) for n in names] + [fmt(med[n]) for n in names]
    cells += [f"{med[n] / med[first]:.2f}" if med[first] else "–" for n in names[1:]]
    print("| " + " | ".join(cells) + " |")
PY
