import ChatAPI
import Testing
@testable import ChatServer

/// The per-operation request table: what it counts on the fast path and how a scrape writes it.
@Suite struct RequestMetersTests {
    @Test func countsBucketsAndSumsPerOperationAndStatus() {
        let meters = RequestMeters()
        let post = meters.row(of: OperationID.postMessage.rawValue)
        meters.record(row: post, status: 201, nanoseconds: 80_000)  // ≤ 0.0001
        meters.record(row: post, status: 201, nanoseconds: 300_000)  // ≤ 0.0005
        meters.record(row: post, status: 201, nanoseconds: 20_000_000_000)  // past every bound
        meters.record(row: meters.row(of: nil), status: 404, nanoseconds: 1_000)
        let samples = OperationsRouteTests.samples(meters.render())
        let labels = #"operation="postMessage",status="201""#
        #expect(samples["chat_http_requests_total{\(labels)}"] == 3)
        #expect(samples["chat_http_request_duration_seconds_bucket{\(labels),le=\"0.0001\"}"] == 1)
        #expect(samples["chat_http_request_duration_seconds_bucket{\(labels),le=\"0.00025\"}"] == 1)
        #expect(samples["chat_http_request_duration_seconds_bucket{\(labels),le=\"0.0005\"}"] == 2)
        #expect(samples["chat_http_request_duration_seconds_bucket{\(labels),le=\"10.0\"}"] == 2)
        #expect(samples["chat_http_request_duration_seconds_bucket{\(labels),le=\"+Inf\"}"] == 3)
        #expect(samples["chat_http_request_duration_seconds_count{\(labels)}"] == 3)
        #expect(abs((samples["chat_http_request_duration_seconds_sum{\(labels)}"] ?? 0) - 20.00038) < 1e-9)
        #expect(samples[#"chat_http_requests_total{operation="none",status="404"}"#] == 1)
        // Nothing else was answered, so nothing else is written.
        #expect(samples.keys.filter { $0.hasPrefix("chat_http_requests_total") }.count == 2)
    }

    @Test func aStatusWithoutASlotIsCountedToo() {
        let meters = RequestMeters()
        #expect(!RequestMeters.slottedStatuses.contains(418))
        let ping = meters.row(of: OperationID.ping.rawValue)
        meters.record(row: ping, status: 418, nanoseconds: 1_000)
        meters.record(row: ping, status: 418, nanoseconds: 1_000)
        meters.record(row: ping, status: 200, nanoseconds: 1_000)
        let samples = OperationsRouteTests.samples(meters.render())
        #expect(samples[#"chat_http_requests_total{operation="ping",status="418"}"#] == 2)
        #expect(samples[#"chat_http_requests_total{operation="ping",status="200"}"#] == 1)
        #expect(samples[#"chat_http_request_duration_seconds_count{operation="ping",status="418"}"#] == 2)
    }

    @Test func everyOperationHasARowOfItsOwn() {
        let meters = RequestMeters()
        let rows = OperationID.allCases.map { meters.row(of: $0.rawValue) }
        #expect(Set(rows).count == OperationID.allCases.count)
        #expect(!rows.contains(meters.row(of: nil)))
        #expect(meters.row(of: "noSuchOperation") == meters.row(of: nil))
    }
}
