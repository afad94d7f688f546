import APIRuntime
import Foundation

// Each api.yaml pattern with a value a request carries (the room code is checked on every post).
let cases: [(String, [String])] = [
    ("^(?!(ping|user|users)$)[A-Za-z0-9_-]{1,64}$", ["general", "lobby-42", "users"]),
    ("^[0-9]{1,18}$", ["1234567"]),
    ("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", ["3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b"]),
    (#"^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$"#, ["3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b.abcdefghijABCDEFGHIJ0123456789_-abcdefghijk"]),
    (#"^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]*[^\u0000-\u001f\u007f-\u009f\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]([^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u001f\u007f-\u009f\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000])?[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]*$"#, ["Alice Example", "  Zoë  "]),
    (#"^3\.2\.[0-9]+$"#, ["3.2.0"]),
    ("^[0-9]+$", ["42"]),
]

// Today's Pattern.matches, verbatim: NSRegularExpression over the ICU-translated source.
let icu = cases.map { (try! NSRegularExpression(pattern: Pattern.icuSource($0.0)), $0.1) }
let compiled = cases.map { (Pattern($0.0), $0.1) }
let checksPerPass = cases.reduce(0) { $0 + $1.1.count }

@inline(never) func passICU() -> Int {
    var hits = 0
    for (expression, inputs) in icu {
        for text in inputs where expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { hits += 1 }
    }
    return hits
}

@inline(never) func passCompiled() -> Int {
    var hits = 0
    for (pattern, inputs) in compiled {
        for text in inputs where pattern.matches(text) { hits += 1 }
    }
    return hits
}

let arguments = CommandLine.arguments
if arguments.count == 3 {
    // `PatternBench icu|compiled N`: N passes of one engine, for callgrind.
    let passes = Int(arguments[2])!
    var hits = 0
    for _ in 0..<passes { hits += arguments[1] == "icu" ? passICU() : passCompiled() }
    print("\(arguments[1]): \(passes * checksPerPass) checks, \(hits) matched")
} else {
    precondition(passICU() == passCompiled(), "the engines disagree")
    let passes = 20_000
    var results: [String: [Double]] = ["icu": [], "compiled": []]
    for round in 0..<6 {
        let order = round % 2 == 0 ? ["icu", "compiled"] : ["compiled", "icu"]
        for engine in order {
            var hits = 0
            let started = ContinuousClock.now
            for _ in 0..<passes { hits += engine == "icu" ? passICU() : passCompiled() }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            results[engine]!.append(seconds * 1e9 / Double(passes * checksPerPass))
            precondition(hits > 0)
        }
    }
    for engine in ["icu", "compiled"] {
        let sorted = results[engine]!.sorted()
        print("\(engine): ns per check, rounds \(results[engine]!.map { String(format: "%.0f", $0) }.joined(separator: " ")), median \(String(format: "%.0f", (sorted[2] + sorted[3]) / 2))")
    }
}
