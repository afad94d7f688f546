import RouteGenCore

/// What every test needs: the spec, a client for the server under test, the settings, the
/// values scenarios may require, and the coverage ledger.
struct RunContext: Sendable {
    let spec: ConformanceSpec
    let client: HTTPClient
    let settings: Settings
    let builtIns: [String: JSON]
    let ledger: CoverageLedger

    /// `api.yaml:12:7` for a spot in the spec.
    func location(_ spot: SourceLocation) -> String {
        let file = spec.path.split(separator: "/").last.map(String.init) ?? spec.path
        return "\(file):\(spot.line):\(spot.column)"
    }

    /// Notes in the ledger which operation answered `request` with `status`.
    func noteAnswer(to request: ClientRequest, status: Int, source: CoverageLedger.Source) {
        guard request.method != "HEAD", let operation = spec.operations.operation(method: request.method, target: request.originTarget) else {
            return
        }
        ledger.record(operation: operation.id, status: status, source: source)
    }
}

/// How one example replay or scenario ended.
enum UnitOutcome: Sendable {
    case passed
    case failed([ConformanceFailure])
    /// Not run against this server, and why.
    case skipped(String)
}
