#!/usr/bin/env bash
# The PostgreSQL store against the memory store, in one run (figures for BENCHMARKS.md):
#   scripts/bench-postgres.sh [BUILD_DIR]     (default .build-rel/release; build it with
#   swift build -c release --scratch-path .build-rel --product ChatServer, then ChatBench)
# Starts a throwaway cluster (synchronous_commit on, PostgreSQL's default), a memory server, and
# two PostgreSQL instances A and B sharing one schema; then, for each store:
#   posts/s into one lobby      ChatBench requests (POST /chat/{room}/message, 32 connections)
#   posts/s into 100 lobbies    ChatBench fanout, 100 lobbies × 1 subscriber, as fast as it goes
#   publish → receive           ChatBench fanout, 1,000 subscribers × 100 posts/s; for PostgreSQL
#                               posted through A and streamed from B
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build-rel/release}"
work="$(mktemp -d /tmp/chat-bench-pg.XXXXXX)"; chmod 755 "$work"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; scripts/pg-cluster stop "$work/pg" >/dev/null 2>&1 || true; }
trap cleanup EXIT
url="$(scripts/pg-cluster start "$work/pg")"

start() {  # name, options...
    local name="$1"; shift
    # A load tool is one client at machine speed: the per-client limits would only measure 429s.
    "$bin/ChatServer" --port 0 --max-connections 20000 --rate-limits off --max-streams-per-user 100000 --max-connections-per-client 0 --max-idle-connections-per-client 0 --max-streams-per-client 0 "$@" >"$work/$name.out" 2>"$work/$name.log" &
    pids+=($!); echo $! >"$work/$name.pid"
    for _ in $(seq 1 100); do grep -q "listening on" "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
    sed -n 's/.*listening on //p' "$work/$name.out"
}
memory="$(start memory)"
a="$(start a --database-url "$url" --database-schema bench)"
b="$(start b --database-url "$url" --database-schema bench)"
echo "memory $memory (pid $(cat "$work/memory.pid")); PostgreSQL A $a (pid $(cat "$work/a.pid")), B $b (pid $(cat "$work/b.pid")); $url"

bench() { "$bin/ChatBench" "$@"; }
for store in memory a; do
    target="${!store}"; pid="$(cat "$work/$store.pid")"
    echo; echo "### $store: posts into one lobby"
    bench requests --connections 32 --duration 5 --base-url "$target" --server-pid "$pid"
    echo; echo "### $store: posts into 100 lobbies"
    bench fanout --subscribers 100 --lobbies 100 --messages 200 --publishers 1 --window 20 --base-url "$target" --server-pid "$pid"
done
echo; echo "### memory: 1,000 subscribers × 100 posts/s, one instance"
bench fanout --subscribers 1000 --lobbies 1 --messages 1000 --rate 100 --base-url "$memory" --server-pid "$(cat "$work/memory.pid")"
echo; echo "### PostgreSQL: 1,000 subscribers on B × 100 posts/s through A"
bench fanout --subscribers 1000 --lobbies 1 --messages 1000 --rate 100 --base-url "$a" --streams-base-url "$b" --server-pid "$(cat "$work/b.pid")"
