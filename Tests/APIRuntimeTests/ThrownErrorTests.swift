import HTTPServer
import Synchronization
import Testing
@testable import APIRuntime

/// What a router answers when a handler throws, through `RouterResponses.thrown`.
@Suite struct ThrownErrorTests {
    /// An output shaped like a generated one: 200 text, 404 problem.
    enum PetOutput: OperationOutput {
        case ok(String)
        case notFound(ProblemDetails)

        static let documentedStatuses = [200, 404]

        init?(problem: ProblemDetails) {
            switch problem.status.code {
            case 404: self = .notFound(problem)
            default: return nil
            }
        }

        func response(_ options: RouterOptions) -> HTTPResponse {
            switch self {
            case .ok(let body): ResponseEncoding.text(200, body, contentType: "text/plain")
            case .notFound(let body): ResponseEncoding.problem(404, body, options: options)
            }
        }
    }

    struct DiskOnFire: Error { var secret = "s3cr3t" }

    /// The reports a router made.
    final class Reports: Sendable {
        let all = Mutex<[UnexpectedError]>([])
        var options: RouterOptions {
            RouterOptions(problems: ProblemEncoder(typeBase: "https://test.example/p/")) { [self] report in
                all.withLock { $0.append(report) }
            }
        }
        var only: UnexpectedError? { all.withLock { $0.count == 1 ? $0[0] : nil } }
        var isEmpty: Bool { all.withLock { $0.isEmpty } }
    }

    static func answer(_ error: any Error, requestId: String? = nil, reports: Reports) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        if let requestId { headers.add("X-Request-Id", requestId) }
        let request = HTTPRequest(method: "GET", target: "/pets/7?x=1", headers: headers, body: [])
        return RouterResponses.thrown(error, by: "getPet", as: PetOutput.self, request: request, options: reports.options)
    }

    static func text(_ response: HTTPResponse) -> String {
        guard case .bytes(let bytes) = response.body else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func aDocumentedProblemIsAnsweredAsItsCase() {
        let reports = Reports()
        let problem = ProblemDetails(kind: .notFound, status: .notFound, detail: "pet '7' does not exist")
        let response = Self.answer(problem, reports: reports)
        #expect(response.status.code == 404)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(Self.text(response).hasPrefix(#"{"type":"https://test.example/p/not-found","title":"Not Found","status":404"#))
        #expect(response.headers["X-Request-Id"] == nil)
        #expect(reports.isEmpty)
    }

    @Test func anErrorThatIsNoProblemIs500WithARequestIdAndNothingLeaked() throws {
        let reports = Reports()
        let response = Self.answer(DiskOnFire(), reports: reports)
        #expect(response.status.code == 500)
        let id = try #require(response.headers["X-Request-Id"])
        #expect(id.count == 16 && id.allSatisfy(\.isHexDigit))
        let body = Self.text(response)
        #expect(body.contains(#""type":"https://test.example/p/internal-error""#))
        #expect(body.contains("(request id \(id))"))
        #expect(!body.contains("s3cr3t") && !body.contains("DiskOnFire"))
        let report = try #require(reports.only)
        #expect(report.operationId == "getPet")
        #expect(report.method == "GET")
        #expect(report.path == "/pets/7")
        #expect(report.requestId == id)
        #expect(report.description.contains("DiskOnFire"))
    }

    @Test func aProblemOfAnUndocumentedStatusIs500AndReportedAsABug() throws {
        let reports = Reports()
        let problem = ProblemDetails(kind: "pet-taken", status: .conflict, detail: "pet '7' is taken")
        let response = Self.answer(problem, requestId: "client-42", reports: reports)
        #expect(response.status.code == 500)
        #expect(response.headers["X-Request-Id"] == "client-42")
        #expect(!Self.text(response).contains("pet-taken"))
        let report = try #require(reports.only)
        guard case .undocumentedProblem(let kind, let status, _) = report.cause else {
            Issue.record("expected an undocumented problem, got \(report.cause)")
            return
        }
        #expect(kind == "pet-taken" && status == 409)
        #expect(report.description.hasPrefix("bug: getPet threw a 409 'pet-taken' problem, a status it does not document"))
        #expect(report.requestId == "client-42")
    }

    @Test func cancellationIs503AndNotABug() {
        let reports = Reports()
        let response = Self.answer(CancellationError(), reports: reports)
        #expect(response.status.code == 503)
        #expect(Self.text(response).contains(#""type":"https://test.example/p/service-unavailable""#))
        #expect(reports.isEmpty)
    }

    @Test(arguments: ["", "has space", String(repeating: "a", count: 65), "tab\there", "é"])
    func aClientRequestIdThatIsNotShortVisibleASCIIIsReplaced(given: String) throws {
        let reports = Reports()
        let response = Self.answer(DiskOnFire(), requestId: given, reports: reports)
        let id = try #require(response.headers["X-Request-Id"])
        #expect(id != given && id.count == 16)
        #expect(reports.only?.requestId == id)
    }

    @Test func aClientRequestIdOf64VisibleCharactersIsKept() {
        let given = String(repeating: "~", count: 64)
        #expect(Self.answer(DiskOnFire(), requestId: given, reports: Reports()).headers["X-Request-Id"] == given)
    }

    @Test func aProblemCaseAnswersWithItsDocumentedStatus() {
        let mislabelled = ProblemDetails(kind: .notFound, status: .badRequest, detail: "no pet")
        let response = PetOutput.notFound(mislabelled).response(RouterOptions())
        #expect(response.status.code == 404)
        #expect(Self.text(response).contains(#""title":"Not Found","status":404"#))
        #expect(Self.text(response).hasPrefix(#"{"type":"/problems/not-found""#))
    }
}
