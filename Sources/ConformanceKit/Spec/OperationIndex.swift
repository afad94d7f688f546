import RouteGenCore

/// Finds the operation a request addresses, as a router would: the path template that matches
/// with the most literal segments, then the method (`HEAD` as `GET`).
struct OperationIndex: Sendable {
    let operations: [Operation]

    /// The operation for `method` and `target` (query ignored); nil when no template matches or
    /// the best one has no such method (a 405).
    func operation(method: String, target: String) -> Operation? {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (literals: Int, path: String)?
        for template in Set(operations.map(\.path)) {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { continue }
            var literals = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") && part.hasSuffix("}") {
                    if segment.isEmpty { matches = false }
                } else if part == segment {
                    literals += 1
                } else {
                    matches = false
                }
            }
            if matches, best.map({ literals > $0.literals }) ?? true { best = (literals, template) }
        }
        guard let best else { return nil }
        let wanted = method == "HEAD" ? "GET" : method
        return operations.first { $0.path == best.path && $0.method == wanted }
    }
}
