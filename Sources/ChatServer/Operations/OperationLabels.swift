import ChatAPI
import HTTPServer
import RouteGenCore

/// Which operation of the spec a request is for, as the router finds it (the first template
/// whose segments match the path, a literal segment before a parameter; then the method, `HEAD`
/// as `GET`), so request metrics carry the `operationId`. Read once from the spec the server was
/// built with, so a new operation is labelled without anyone listing it here.
///
/// It runs on every request, after the router has matched the same path, so it does not repeat
/// the router's work: it compares the path's bytes in place, allocates nothing, and does not
/// decode parameters (a request whose `{room}` the router refuses as undecodable still carries
/// the label of the operation it addressed).
struct OperationLabels: Sendable {
    private struct Template: Sendable {
        /// A literal segment's bytes, or nil for a parameter.
        var segments: [[UInt8]?]
        var operations: [(method: String, id: String)]
    }

    private let templates: [Template]

    /// The label of a request no operation takes (unknown path, other method, `OPTIONS`).
    static let unmatched = "none"

    /// The operations of `APISpec.yaml`, the spec embedded in the server.
    static let chat = OperationLabels(specText: APISpec.yaml)

    init(specText: String) {
        let operations = (try? SpecLoader.load(text: specText, file: "api.yaml"))?.operations ?? []
        var byPath: [(path: String, template: Template)] = []
        for operation in operations {
            if let index = byPath.firstIndex(where: { $0.path == operation.path }) {
                byPath[index].template.operations.append((operation.method, operation.id))
                continue
            }
            let segments = operation.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part -> [UInt8]? in
                part.hasPrefix("{") && part.hasSuffix("}") ? nil : Array(part.utf8)
            }
            byPath.append((operation.path, Template(segments: segments, operations: [(operation.method, operation.id)])))
        }
        // A literal before a parameter at the first position where two templates differ.
        templates = byPath.map(\.template).sorted { lhs, rhs in
            for (left, right) in zip(lhs.segments, rhs.segments) where (left == nil) != (right == nil) { return left != nil }
            return false
        }
    }

    /// The `operationId` that answers `request`, or `unmatched`.
    func label(for request: HTTPRequest) -> String {
        let path = request.path.utf8
        guard path.first == UInt8(ascii: "/") else { return Self.unmatched }
        let method = request.method == "HEAD" ? "GET" : request.method
        for template in templates where Self.matches(template.segments, path.dropFirst()) {
            return template.operations.first { $0.method == method }?.id ?? Self.unmatched
        }
        return Self.unmatched
    }

    /// Whether the `/`-separated parts of `path` (after its leading `/`) fit `segments`.
    private static func matches(_ segments: [[UInt8]?], _ path: Substring.UTF8View.SubSequence) -> Bool {
        var rest = path[...]
        for (index, segment) in segments.enumerated() {
            let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            let part = rest[..<end]
            if let literal = segment {
                guard part.elementsEqual(literal) else { return false }
            } else if part.isEmpty {
                return false
            }
            let isLast = index == segments.count - 1
            if isLast { return end == rest.endIndex }
            guard end != rest.endIndex else { return false }
            rest = rest[rest.index(after: end)...]
        }
        return false
    }
}
