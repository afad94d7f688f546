import Dispatch
import HTTPServer

/// Routes that wait: `/wait?ms=N` answers after sleeping N milliseconds (`cancelled` when its
/// task is cancelled first), `/hold` waits until cancelled; anything else answers at once.
/// It counts the requests it began to answer and the tasks that saw their cancellation.
final class WaitingResponder: HTTPResponder {
    let started = Captured(0)
    let cancellations = Captured(0)

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        started.update { $0 += 1 }
        switch request.path {
        case "/wait":
            let milliseconds = request.query.flatMap { Int($0.dropFirst("ms=".count)) } ?? 100
            do {
                try await Task.sleep(for: .milliseconds(milliseconds))
                return HTTPResponse(status: .ok, contentType: "text/plain", text: "waited \(milliseconds)")
            } catch {
                cancellations.update { $0 += 1 }
                return HTTPResponse(status: .serviceUnavailable, contentType: "text/plain", text: "cancelled")
            }
        case "/hold":
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
            cancellations.update { $0 += 1 }
            return HTTPResponse(status: .serviceUnavailable, contentType: "text/plain", text: "cancelled")
        default:
            return HTTPResponse(status: .ok, contentType: "text/plain", text: "at once")
        }
    }
}

/// Runs blocking client work on a Dispatch thread, so that a test never holds one of the few
/// threads of the cooperative pool that the server's waiting responders resume on.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
