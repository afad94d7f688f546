/// Latencies in nanoseconds, counted in log-linear buckets (64 per power of two, so any
/// percentile is within 1.6 % of the truth) with the exact maximum: fixed memory however long
/// the run, and cheap to merge across threads.
struct LatencyHistogram: Sendable {
    private static let subBucketBits = 6
    private static let subBucketCount = 1 << subBucketBits
    /// Values below 2 × 64 ns are counted exactly; above, 64 buckets per doubling up to 2^48 ns.
    private static let bucketCount = 2 * subBucketCount + (48 - subBucketBits) * subBucketCount

    private var counts = [UInt64](repeating: 0, count: LatencyHistogram.bucketCount)
    /// How many values were recorded.
    private(set) var count: UInt64 = 0
    /// The largest value recorded, exact.
    private(set) var maximum: UInt64 = 0

    /// An empty histogram.
    init() {}

    @inline(__always)
    private static func index(of value: UInt64) -> Int {
        if value < UInt64(2 * subBucketCount) { return Int(value) }
        let shift = (63 - value.leadingZeroBitCount) - subBucketBits
        let subBucket = Int(value >> UInt64(shift)) - subBucketCount
        return min(bucketCount - 1, subBucketCount * (shift + 1) + subBucket)
    }

    /// The middle of the values a bucket holds.
    private static func representative(of index: Int) -> UInt64 {
        if index < 2 * subBucketCount { return UInt64(index) }
        let shift = index / subBucketCount - 1
        let subBucket = UInt64(index % subBucketCount + subBucketCount)
        return (subBucket << UInt64(shift)) + (UInt64(1) << UInt64(shift)) / 2
    }

    /// Counts one latency.
    @inline(__always)
    mutating func record(nanoseconds value: UInt64) {
        counts[Self.index(of: value)] &+= 1
        count &+= 1
        if value > maximum { maximum = value }
    }

    /// Adds another histogram's counts to this one.
    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        count += other.count
        maximum = max(maximum, other.maximum)
    }

    /// The value below which `fraction` (0...1) of the recorded values fall, in nanoseconds.
    func percentile(_ fraction: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = max(1, UInt64((Double(count) * fraction).rounded(.up)))
        var seen: UInt64 = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank { return min(maximum, Self.representative(of: index)) }
        }
        return maximum
    }

    /// p50, p99 and max in milliseconds.
    var summary: LatencySummary {
        LatencySummary(
            p50Milliseconds: Double(percentile(0.50)) / 1e6,
            p99Milliseconds: Double(percentile(0.99)) / 1e6,
            maxMilliseconds: Double(maximum) / 1e6)
    }
}
