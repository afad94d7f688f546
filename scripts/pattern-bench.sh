#!/usr/bin/env bash
# Times api.yaml's pattern checks through ICU (NSRegularExpression over Pattern.icuSource, which
# is what Pattern did before it compiled patterns) against the compiled programs, in one release
# build and one process, rounds alternating the order. With `callgrind`, counts instructions
# instead (steadier on a shared machine): N checks of each engine less the start-up of either.
#
#   scripts/pattern-bench.sh            # ns per check, 6 rounds
#   scripts/pattern-bench.sh callgrind  # instructions per check
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${PATTERN_BENCH_DIR:-/tmp/pattern-bench}
mkdir -p "$work/Sources/PatternBench"
ln -sfn "$root/Sources/HTTPServer" "$work/Sources/HTTPServer"
ln -sfn "$root/Sources/APIRuntime" "$work/Sources/APIRuntime"
cp "$root/scripts/pattern-bench/main.swift" "$work/Sources/PatternBench/main.swift"
cat > "$work/Package.swift" <<'SWIFT'
// swift-tools-version: 6.0
import PackageDescription

// Scratch: the checkout's HTTPServer and APIRuntime sources (symlinked), in release.
let package = Package(
    name: "PatternBench",
    targets: [
        .target(name: "HTTPServer"),
        .target(name: "APIRuntime", dependencies: ["HTTPServer"]),
        .executableTarget(name: "PatternBench", dependencies: ["APIRuntime"]),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT
swift build -c release --package-path "$work" >/dev/null
bench=$work/.build/release/PatternBench
if [ "${1:-}" != callgrind ]; then
    exec "$bench"
fi
collected() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
checks=$("$bench" icu 1 | sed -n 's/^icu: \([0-9]*\) checks.*/\1/p')
for engine in icu compiled; do
    base=$(collected "$engine" 0)
    total=$(collected "$engine" 2000)
    echo "$engine: $(( (total - base) / (2000 * checks) )) instructions per check"
done
