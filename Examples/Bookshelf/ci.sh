#!/usr/bin/env bash
# The Bookshelf example in CI: builds it from its own spec (as a package depending on this one),
# runs its tests, then runs the conformance suite of the parent package against a live
# BookshelfServer, judged by Bookshelf's spec instead of api.yaml.
#
# Extra arguments go to the parent package's `swift test` (e.g. `--scratch-path .build-gen`).
set -euo pipefail
example="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$example/../.." && pwd)"

cd "$example"
swift build
swift test

log="$(mktemp)"
"$(swift build --show-bin-path)/BookshelfServer" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT
url=""
for _ in $(seq 50); do
    url="$(sed -n 's/^Bookshelf listening on //p' "$log")"
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "BookshelfServer did not start" >&2; exit 1; }

cd "$root"
CONFORMANCE_SPEC="$example/Sources/BookshelfAPI/openapi.yaml" CONFORMANCE_BASE_URL="$url" \
    swift test "$@" --filter ServerConformance
