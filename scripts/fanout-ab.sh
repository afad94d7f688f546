#!/usr/bin/env bash
# The fan-out phase alone, A/B(/C) in one run: fresh servers side by side (--port 0), turns rotating,
# ROUNDS rounds of `ChatBench fanout --subscribers 1000 --lobbies 1 --messages 2000`, one line a run:
# name, round, deliveries/s, p99 ms, CPU seconds (server, bench, machine busy, wall).
#   CHATBENCH=.build/release/ChatBench scripts/fanout-ab.sh ROUNDS NAME=SERVER NAME=SERVER …
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 ROUNDS NAME=SERVER [NAME=SERVER …]" >&2; exit 2; }
rounds=$1; shift
o="--rate-limits off --max-streams-per-user 100000 --max-connections-per-client 0 --max-streams-per-client 0 --max-idle-connections-per-client 0 --max-connections 20000"
declare -a names bins pids ports
for spec in "$@"; do names+=("${spec%%=*}"); bins+=("${spec#*=}"); done
for i in "${!names[@]}"; do
  ${bins[$i]} --port 0 $o > "${TMPDIR:-/tmp}"/fab-${names[$i]}.log 2>&1 & pids[$i]=$!
done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for i in "${!names[@]}"; do
  ports[$i]=""
  for _ in $(seq 1 100); do  # up to 10 s for the server to say its port
    ports[$i]=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "${TMPDIR:-/tmp}"/fab-${names[$i]}.log | head -1)
    [ -n "${ports[$i]}" ] && break
    sleep 0.1
  done
  [ -n "${ports[$i]}" ] || { echo "${names[$i]} printed no port" >&2; exit 1; }
done
for r in $(seq 1 $rounds); do
  for k in "${!names[@]}"; do
    i=$(( (k + r) % ${#names[@]} ))
    "${CHATBENCH:-.build/release/ChatBench}" fanout --subscribers 1000 --lobbies 1 --messages 2000 --base-url http://127.0.0.1:${ports[$i]} --server-pid ${pids[$i]} --json 2>/dev/null \
      | python3 -c "import json,sys; f=json.load(sys.stdin)['fanout'][0]; print('${names[$i]}', $r, round(f['deliveriesPerSecond']), round(f['latency']['p99Milliseconds'],1), 'serverCPU', f.get('cpu',{}))"
  done
done
