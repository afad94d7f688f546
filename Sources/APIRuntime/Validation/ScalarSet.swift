/// A set of Unicode scalar values: what one position of a pattern accepts (a literal, `.`, an
/// escape such as `\d`, or a bracketed class), as sorted, disjoint, non-adjacent ranges.
struct ScalarSet: Hashable, Sendable {
    private(set) var ranges: [ClosedRange<UInt32>]

    /// The set of the values in `ranges`, which may overlap and come in any order.
    init(_ ranges: [ClosedRange<UInt32>]) {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// The set of one value.
    init(scalar: UInt32) {
        self.init([scalar...scalar])
    }

    static let maximum: UInt32 = 0x10FFFF

    /// Every value not in the set.
    var inverted: ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound &+ 1
        }
        if next <= Self.maximum, ranges.last?.upperBound != Self.maximum { result.append(next...Self.maximum) }
        return ScalarSet(result)
    }

    /// The values in either set.
    func union(_ other: ScalarSet) -> ScalarSet {
        ScalarSet(ranges + other.ranges)
    }

    func contains(_ value: UInt32) -> Bool {
        ranges.contains { $0.contains(value) }
    }

    // ECMA-262's classes (22.2.2.9), which are ASCII for `\d` and `\w` whatever the flags, where
    // ICU's are Unicode: `\d` takes "٣" in NSRegularExpression, not in JSON Schema.
    static let digit = ScalarSet([0x30...0x39])
    static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// WhiteSpace and LineTerminator: ICU's `\s` differs at U+0085 (not here) and U+FEFF (here).
    static let space = ScalarSet([
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])
    /// `.`: anything but a LineTerminator (ICU's also leaves out U+0085).
    static let dot = ScalarSet([0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]).inverted
}

/// A `ScalarSet` as the matcher tests it: a bitmap for ASCII and a slice of a flat table of
/// range bounds above it. Plain values, so the matching loop touches no reference counts.
struct ScalarClass {
    var lowBits: UInt64
    var highBits: UInt64
    /// Indices into the program's flat `bounds` (lower, upper, lower, upper, …) of the ranges
    /// at or above U+0080.
    var boundsStart: Int
    var boundsEnd: Int

    /// `set` as a class, its non-ASCII ranges appended to `bounds`.
    init(_ set: ScalarSet, appendingTo bounds: inout [UInt32]) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for value in 0..<UInt32(128) where set.contains(value) {
            if value < 64 { low |= 1 << UInt64(value) } else { high |= 1 << UInt64(value - 64) }
        }
        lowBits = low
        highBits = high
        boundsStart = bounds.count
        for range in set.ranges where range.upperBound >= 128 {
            bounds.append(max(range.lowerBound, 128))
            bounds.append(range.upperBound)
        }
        boundsEnd = bounds.count
    }

    @inline(__always)
    func contains(_ value: UInt32, _ bounds: UnsafeBufferPointer<UInt32>) -> Bool {
        if value < 64 { return lowBits & (1 << UInt64(value)) != 0 }
        if value < 128 { return highBits & (1 << UInt64(value - 64)) != 0 }
        // Binary search over the pairs: the name pattern's classes hold a dozen ranges.
        var lower = boundsStart / 2
        var upper = boundsEnd / 2
        while lower < upper {
            let middle = (lower + upper) / 2
            if value < bounds[middle * 2] {
                upper = middle
            } else if value > bounds[middle * 2 + 1] {
                lower = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}
