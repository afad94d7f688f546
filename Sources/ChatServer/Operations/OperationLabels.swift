import APIRuntime
import ChatAPI
import HTTPServer
import RouteGenCore

/// Which operation of the spec a request is for, as the router would find it (method and path,
/// `HEAD` as `GET`), so request metrics carry the `operationId`. Read once from the spec the
/// server was built with, so a new operation is labelled without anyone listing it here.
struct OperationLabels: Sendable {
    private let routes: RouteTable<String>

    /// The label of a request no operation takes (unknown path, other method, `OPTIONS`).
    static let unmatched = "none"

    /// The operations of `APISpec.yaml`, the spec embedded in the server.
    static let chat = OperationLabels(specText: APISpec.yaml)

    init(specText: String) {
        let operations = (try? SpecLoader.load(text: specText, file: "api.yaml"))?.operations ?? []
        routes = RouteTable(operations.map { (method: $0.method, template: $0.path, operation: $0.id) })
    }

    /// The `operationId` that answers `request`, or `unmatched`.
    func label(for request: HTTPRequest) -> String {
        let method = request.method == "HEAD" ? "GET" : request.method
        return routes.match(request.path)?.operation(for: method) ?? Self.unmatched
    }
}
