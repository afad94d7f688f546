@testable import ConformanceKit
import Foundation
import Glibc
import Testing

/// A case that sends a named user's token cannot be judged against a server that issues no
/// tokens: the judge skips it and says why, rather than failing it.
@Suite struct UnjudgeableCredentialTests {
    /// A loopback server that answers every request `201` with a JSON body, and a sign-up with
    /// a user but no `token`: a server that issues no tokens. Serves `count` connections.
    final class TokenlessServer: Sendable {
        let port: UInt16
        private let descriptor: Int32

        init(connections count: Int) throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            descriptor = listener
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
            try #require(bound == 0 && listen(listener, 16) == 0)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
            port = UInt16(bigEndian: address.sin_port)
            Thread {
                for _ in 0..<count {
                    let connection = accept(listener, nil, nil)
                    guard connection >= 0 else { return }
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    let read = recv(connection, &buffer, buffer.count, 0)
                    let request = String(decoding: buffer.prefix(max(0, read)), as: UTF8.self)
                    let body = request.hasPrefix("POST /chat/user ") ? #"{"id":"6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b","name":"alice"}"# : "{}"
                    let response = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                        + "Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n\(body)"
                    _ = Array(response.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, 0) }
                    close(connection)
                }
            }.start()
        }

        deinit { close(descriptor) }
    }

    @Test func anExampleSendingAliceTokenIsSkippedWithTheReason() async throws {
        let spec = try ConformanceSpec.shared.get()
        let exchange = try #require(spec.exchanges.first { $0.id == "joinLobby.unknownUser" })
        #expect(exchange.fixture.credential.who == .user("alice"))
        let server = try TokenlessServer(connections: 2)  // the fixture's sign-up and lobby
        let baseURL = try #require(BaseURL("http://127.0.0.1:\(server.port)"))
        let context = RunContext(
            spec: spec, client: HTTPClient(baseURL: baseURL, timeout: 2), settings: Settings.fromEnvironment([:]),
            builtIns: ["authentication": .bool(true)], ledger: CoverageLedger())
        let outcome = await BlockingWork.run { ConformanceUnit.exchange(exchange).run(in: context) }
        guard case .skipped(let why) = outcome else {
            Issue.record("expected the case skipped, got \(outcome)")
            return
        }
        #expect(why.contains("cannot be judged"))
        #expect(why.contains("the server issued none"))
    }
}
