import Foundation
import Testing
@testable import ChatServer

// In the fault suite, which is serialized: stopping the cluster must not overlap its other tests.
extension PostgresFaultTests {
    /// Runs `scripts/pg-cluster COMMAND` on the fault cluster (outputs to /dev/null, as `restartDatabase`).
    static func cluster(_ command: String) throws {
        let script = packageRoot.appendingPathComponent("scripts/pg-cluster").path
        let status = system("'\(script)' \(command) '\(clusterDirectory!)' >/dev/null 2>&1 </dev/null")
        guard status == 0 else { throw TestConnection.Failure(description: "pg-cluster \(command) failed (\(status))") }
    }

    /// Asks `/readyz` every 50 ms until it answers `status` (for up to `seconds`); returns that answer.
    static func readiness(of server: TestServer, becomes status: Int, within seconds: Double) throws -> TestResponse? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let response = try server.request("GET", "/readyz")
            if response.status == status { return response }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    @Test func readinessIs503WhileTheDatabaseIsDownAndComesBackWithIt() throws {
        let server = try TestServer { $0.database = DatabaseConfiguration(url: Self.url, schema: StoreKind.newSchema(), poolSize: 2) }
        #expect(try server.request("GET", "/readyz").status == 200)
        try Self.cluster("stop")
        var isRunning = false
        defer { if !isRunning { try? Self.cluster("restart") } }

        let refused = try #require(try Self.readiness(of: server, becomes: 503, within: 10))
        #expect(refused.header("Retry-After") == "1")
        #expect(try refused.object()["type"] as? String == "https://chat.example/problems/service-unavailable")
        #expect(try server.request("GET", "/healthz").status == 200)  // the process is still up
        let down = OperationsRouteTests.samples(try server.request("GET", "/metrics").text)
        #expect(down["chat_postgres_connected"] == 0)

        try Self.cluster("restart")
        isRunning = true
        #expect(try Self.readiness(of: server, becomes: 200, within: 15) != nil)
        let up = OperationsRouteTests.samples(try server.request("GET", "/metrics").text)
        #expect(up["chat_postgres_connected"] == 1)
        #expect((up["chat_postgres_reconnects_total"] ?? 0) >= 1)
    }
}
