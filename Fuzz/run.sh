#!/usr/bin/env bash
# Fuzzes the HTTP request parser with libFuzzer for a bounded time.
#   Fuzz/run.sh [seconds]   (default 60)
# Builds with -sanitize=fuzzer,address from the HTTPServer module's sources and the EventLoop
# module (with its C shim) they lean on, so nothing else of the package needs to compile. The corpus and any crash inputs live under ./fuzz-corpus
# (git-ignored): fuzz-corpus/request-parser and fuzz-corpus/crashes/.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/.build-fuzz}"
corpus="$root/fuzz-corpus/request-parser"
artifacts="$root/fuzz-corpus/crashes/"
mkdir -p "$build" "$corpus" "$artifacts"

# Seed the corpus with a few well-formed requests the first time.
if [ -z "$(ls -A "$corpus")" ]; then
    printf '\x05GET /ping HTTP/1.1\r\nHost: h\r\n\r\n' > "$corpus/get"
    printf '\x03POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello' > "$corpus/post"
    printf '\x07POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: v\r\n\r\n' > "$corpus/chunked"
    printf '\x1fPUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok' > "$corpus/expect"
    printf '\x00GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n' > "$corpus/pipelined"
fi

src="$root/Sources/HTTPServer"
# The parser's files lean on the rest of the module (client addresses, the body budget, the
# stream types its messages name) and on the event loop: EventLoop and its C shim are built
# first, as a module of their own, as the package builds them.
shim="$root/Sources/CSystemLinux"
mkdir -p "$build/modules" "$build/c"
printf 'module CSystemLinux {\n    header "%s"\n    export *\n}\n' "$shim/include/CSystemLinux.h" \
    > "$build/modules/module.modulemap"
for file in "$shim"/*.c; do
    clang -c -O1 -g -fsanitize=address -I "$shim/include" "$file" -o "$build/c/$(basename "$file" .c).o"
done
swiftc -sanitize=address -parse-as-library -O -g -wmo -c \
    -module-name EventLoop -package-name chatserver \
    -Xcc -fmodule-map-file="$build/modules/module.modulemap" \
    -emit-module -emit-module-path "$build/modules/EventLoop.swiftmodule" \
    "$root"/Sources/EventLoop/*.swift \
    -o "$build/EventLoop.o"
swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name RequestParserFuzz -package-name chatserver \
    -I "$build/modules" -Xcc -fmodule-map-file="$build/modules/module.modulemap" \
    $(find "$src" -name '*.swift' | sort) \
    "$root/Fuzz/RequestParserFuzz.swift" \
    "$build/EventLoop.o" "$build"/c/*.o \
    -o "$build/request-parser-fuzz"

exec "$build/request-parser-fuzz" "$corpus" \
    -dict="$root/Fuzz/http.dict" -max_total_time="$seconds" -max_len=4096 \
    -artifact_prefix="$artifacts" -print_final_stats=1
