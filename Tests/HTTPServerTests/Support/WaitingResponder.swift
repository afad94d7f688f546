import Dispatch
import HTTPServer
import Synchronization

/// Routes that wait: `/wait?ms=N` answers after N milliseconds (`cancelled` when its task is
/// cancelled first), `/hold` waits until cancelled; anything else answers at once. It counts
/// the requests it began to answer and the tasks that saw their cancellation.
///
/// The waits are resumed from a Dispatch timer, as a database client's are from its socket's
/// readiness: the task then resumes on its connection's executor without needing the
/// cooperative pool, which the blocking tests of other suites keep busy.
final class WaitingResponder: HTTPResponder {
    let started = Captured(0)
    let cancellations = Captured(0)

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        started.update { $0 += 1 }
        switch request.path {
        case "/wait":
            let milliseconds = request.query.flatMap { Int($0.dropFirst("ms=".count)) } ?? 100
            guard await wait(milliseconds: milliseconds) else { return cancelled() }
            return HTTPResponse(status: .ok, contentType: "text/plain", text: "waited \(milliseconds)")
        case "/hold":
            _ = await wait(milliseconds: nil)
            return cancelled()
        default:
            return HTTPResponse(status: .ok, contentType: "text/plain", text: "at once")
        }
    }

    private func cancelled() -> HTTPResponse {
        cancellations.update { $0 += 1 }
        return HTTPResponse(status: .serviceUnavailable, contentType: "text/plain", text: "cancelled")
    }

    /// Waits `milliseconds` (nil: until cancelled); false when the task was cancelled first.
    private func wait(milliseconds: Int?) async -> Bool {
        let resumed = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        let finish: @Sendable (Bool) -> Void = { value in
            resumed.withLock { continuation in
                continuation?.resume(returning: value)
                continuation = nil
            }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                resumed.withLock { $0 = continuation }
                if Task.isCancelled { finish(false) }
                if let milliseconds {
                    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { finish(true) }
                }
            }
        } onCancel: {
            finish(false)
        }
    }
}

/// Runs blocking client work on a Dispatch thread, so that a test never holds one of the few
/// threads of the cooperative pool.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
