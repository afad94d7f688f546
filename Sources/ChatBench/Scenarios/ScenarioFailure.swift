/// A scenario could not be carried out (as opposed to measuring something bad).
enum ScenarioFailure: Error, CustomStringConvertible {
    /// Something did not finish within its bound.
    case timedOut(String)
    /// Streams did not open; the reason is the first stream's.
    case streamsDidNotOpen(opened: Int, of: Int, reason: String)
    /// The spec for codegen cannot be read.
    case specUnreadable(String)

    var description: String {
        switch self {
        case .timedOut(let what): "timed out \(what)"
        case .streamsDidNotOpen(let opened, let total, let reason): "only \(opened) of \(total) streams opened; first failure: \(reason)"
        case .specUnreadable(let path): "cannot read the spec at \(path) (see --spec)"
        }
    }
}
