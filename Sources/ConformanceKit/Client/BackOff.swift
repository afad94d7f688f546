import Foundation
import Synchronization

/// How the judge behaves as a polite client: a `429` or `503` answer with `Retry-After`
/// (delay-seconds) that the step did not expect is waited out and the request sent again, a
/// bounded number of times and for a bounded time per request; the waits are tallied for the
/// report. A server with its default rate limits on is then judged, only more slowly.
final class BackOff: Sendable {
    /// Attempts after the first, at most, for one request.
    let maxRetries: Int
    /// Seconds one request may spend waiting in all; a `Retry-After` past what is left is not waited.
    let maxWaitPerRequest: Double

    private struct Tally: Sendable {
        var requests = 0
        var retries = 0
        var seconds = 0.0
    }

    private let tally = Mutex(Tally())

    init(maxRetries: Int = 30, maxWaitPerRequest: Double = 120) {
        self.maxRetries = maxRetries
        self.maxWaitPerRequest = maxWaitPerRequest
    }

    /// What waiting did in a run: how many requests were delayed, how many times they were
    /// sent again and the seconds waited (summed over requests, which wait in parallel).
    struct Summary: Sendable, Equatable {
        var requests: Int
        var retries: Int
        var seconds: Double

        /// `waited 12.500 s in all … for 3 request(s) answered 429 or 503 with Retry-After (7 retries)`.
        var line: String {
            guard retries > 0 else { return "waited 0 s: no answer was 429 or 503 with Retry-After" }
            return "waited \(format3(seconds)) s in all (summed over parallel cases) for \(requests) request(s) answered 429 or 503 with Retry-After (\(retries) retries)"
        }
    }

    var summary: Summary { tally.withLock { Summary(requests: $0.requests, retries: $0.retries, seconds: $0.seconds) } }

    /// The seconds to wait before sending the request again, or nil to take `head` as the
    /// answer: it is not 429/503, or the step expects that status, or it names no delay, or
    /// the request has used up its retries or its time.
    func delay(after head: ResponseHead, expecting expected: Int?, retry: Int, waited: Double) -> Double? {
        guard head.status == 429 || head.status == 503, head.status != expected, retry < maxRetries,
            let text = head.header("Retry-After"), let seconds = Int(text.trimmingSpaces), (0...3600).contains(seconds)
        else { return nil }
        // A little spread, so cases waiting together do not all come back in the same instant.
        let delay = Double(seconds) + Double.random(in: 0.05...0.25)
        return waited + delay <= maxWaitPerRequest ? delay : nil
    }

    /// Waits `seconds` and tallies it; `first` is the request's first wait.
    func wait(_ seconds: Double, first: Bool) {
        tally.withLock {
            if first { $0.requests += 1 }
            $0.retries += 1
            $0.seconds += seconds
        }
        Thread.sleep(forTimeInterval: seconds)
    }
}
