import ChatAPI
import Synchronization

/// `chat_http_requests_total` and `chat_http_request_duration_seconds`, per operation and status,
/// counted on a request's path with three relaxed atomic adds into a table made up front: no
/// lock, no dictionary, no allocation, nothing but the operation's row and the status's slot
/// to find. A scrape reads the table and writes both families in the Prometheus text format.
///
/// The rows are the router's `OperationID`s (and `none`); the slots are the statuses a server
/// answers (`slottedStatuses`). A status without a slot (an application's unusual code) is
/// counted under a lock, off the fast path.
///
/// `@unchecked Sendable`: `cells` is written once in `init` and then only through atomics.
final class RequestMeters: @unchecked Sendable {
    /// Upper bounds of the duration buckets, in nanoseconds, with their `le` labels.
    static let bounds: [(nanoseconds: Int, label: String)] = [
        (100_000, "0.0001"), (250_000, "0.00025"), (500_000, "0.0005"), (1_000_000, "0.001"),
        (2_500_000, "0.0025"), (5_000_000, "0.005"), (10_000_000, "0.01"), (25_000_000, "0.025"),
        (50_000_000, "0.05"), (100_000_000, "0.1"), (250_000_000, "0.25"), (500_000_000, "0.5"),
        (1_000_000_000, "1.0"), (2_500_000_000, "2.5"), (5_000_000_000, "5.0"), (10_000_000_000, "10.0"),
    ]

    /// The statuses with a slot of their own: every one the transport, the router and the
    /// chat handler answer.
    static let slottedStatuses = [
        200, 201, 202, 204, 206, 301, 302, 304, 400, 401, 403, 404, 405, 406, 408, 409, 410, 411,
        412, 413, 414, 415, 416, 417, 422, 428, 429, 431, 500, 501, 502, 503, 504, 505,
    ]

    /// The label of a request no operation takes (unknown path, other method, `OPTIONS`).
    static let unmatched = "none"

    /// Row labels: every operation in `OperationID.allCases` order, then `unmatched`.
    private let operations: [String]
    /// Slot of each status 0..<600, or -1.
    private let slotOfStatus: [Int8]
    /// Per row and slot: one bucket per bound, one for +Inf, then the sum of nanoseconds.
    private let cells: UnsafeMutablePointer<Atomic<Int>>
    private let cellCount: Int
    private static let cellsPerSeries = bounds.count + 2
    private let rare = Mutex<[RareKey: [Int]]>([:])

    private struct RareKey: Hashable {
        var row: Int
        var status: Int
    }

    init() {
        operations = OperationID.allCases.map(\.rawValue) + [Self.unmatched]
        var slots = [Int8](repeating: -1, count: 600)
        for (slot, status) in Self.slottedStatuses.enumerated() { slots[status] = Int8(slot) }
        slotOfStatus = slots
        cellCount = operations.count * Self.slottedStatuses.count * Self.cellsPerSeries
        cells = .allocate(capacity: cellCount)
        for index in 0..<cellCount { (cells + index).initialize(to: Atomic(0)) }
    }

    deinit {
        cells.deinitialize(count: cellCount)
        cells.deallocate()
    }

    /// The row of an operation id as the router names it (nil: no operation): a scan of
    /// the spec's few short operation ids, cheaper than hashing one.
    func row(of operationID: String?) -> Int {
        guard let operationID else { return operations.count - 1 }
        return operations.firstIndex(of: operationID) ?? operations.count - 1
    }

    /// Counts one request answered with `status` after `nanoseconds`.
    func record(row: Int, status: Int, nanoseconds: Int) {
        let bucket = Self.bounds.firstIndex { nanoseconds <= $0.nanoseconds } ?? Self.bounds.count
        guard status >= 0, status < slotOfStatus.count, case let slot = Int(slotOfStatus[status]), slot >= 0 else {
            recordRare(row: row, status: status, bucket: bucket, nanoseconds: nanoseconds)
            return
        }
        let base = (row * Self.slottedStatuses.count + slot) * Self.cellsPerSeries
        cells[base + bucket].wrappingAdd(1, ordering: .relaxed)
        cells[base + Self.bounds.count + 1].wrappingAdd(nanoseconds, ordering: .relaxed)
    }

    private func recordRare(row: Int, status: Int, bucket: Int, nanoseconds: Int) {
        rare.withLock { rare in
            var series = rare[RareKey(row: row, status: status)] ?? Array(repeating: 0, count: Self.cellsPerSeries)
            series[bucket] += 1
            series[Self.bounds.count + 1] += nanoseconds
            rare[RareKey(row: row, status: status)] = series
        }
    }

    /// Both families in the text format, one series per operation and status seen so far.
    func render() -> String {
        var series: [(operation: String, status: Int, cells: [Int])] = []
        for row in operations.indices {
            for (slot, status) in Self.slottedStatuses.enumerated() {
                let base = (row * Self.slottedStatuses.count + slot) * Self.cellsPerSeries
                let values = (0..<Self.cellsPerSeries).map { cells[base + $0].load(ordering: .relaxed) }
                if values[0...Self.bounds.count].contains(where: { $0 != 0 }) {
                    series.append((operations[row], status, values))
                }
            }
        }
        for (key, values) in rare.withLock({ $0 }).sorted(by: { ($0.key.row, $0.key.status) < ($1.key.row, $1.key.status) }) {
            series.append((operations[key.row], key.status, values))
        }
        guard !series.isEmpty else { return "" }
        var text = "# TYPE chat_http_requests_total counter\n"
        for (operation, status, values) in series {
            text += "chat_http_requests_total{operation=\"\(operation)\",status=\"\(status)\"} \(values[0...Self.bounds.count].reduce(0, +))\n"
        }
        text += "# TYPE chat_http_request_duration_seconds histogram\n"
        for (operation, status, values) in series {
            let labels = "operation=\"\(operation)\",status=\"\(status)\""
            var cumulative = 0
            for (index, bound) in Self.bounds.enumerated() {
                cumulative += values[index]
                text += "chat_http_request_duration_seconds_bucket{\(labels),le=\"\(bound.label)\"} \(cumulative)\n"
            }
            cumulative += values[Self.bounds.count]
            text += "chat_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(cumulative)\n"
            text += "chat_http_request_duration_seconds_sum{\(labels)} \(Double(values[Self.bounds.count + 1]) / 1e9)\n"
            text += "chat_http_request_duration_seconds_count{\(labels)} \(cumulative)\n"
        }
        return text
    }
}
