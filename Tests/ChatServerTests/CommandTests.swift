import Testing
@testable import ChatServer

/// The command line turns into the configuration it describes.
@Suite struct CommandTests {
    @Test func defaultsMatchTheContract() throws {
        let configuration = try ChatServerCommand.parse([]).makeConfiguration(environment: [:])
        #expect(configuration.http.host == "127.0.0.1")
        #expect(configuration.http.port == 3000)
        #expect(configuration.http.limits.maxBodyBytes == 65536)
        #expect(configuration.http.limits.maxHeaderBytes == 16384)
        #expect(configuration.http.limits.maxStreamOutputBytes == 1_048_576)
        #expect(configuration.chat.historySize == 1000)
        #expect(configuration.chat.heartbeat == .seconds(15))
        #expect(configuration.chat.retryMilliseconds == 3000)
        #expect(configuration.chat.maxLobbiesPerUser == 64)
        #expect(configuration.corsOrigins == ["*"])
        #expect(configuration.problemTypeBase == "https://chat.example/problems/")
    }

    @Test func portComesFromTheFlagThenPORT() throws {
        #expect(try ChatServerCommand.parse([]).makeConfiguration(environment: ["PORT": "8081"]).http.port == 8081)
        #expect(try ChatServerCommand.parse(["--port", "0"]).makeConfiguration(environment: ["PORT": "8081"]).http.port == 0)
        #expect(throws: (any Error).self) { try ChatServerCommand.parse([]).makeConfiguration(environment: ["PORT": "http"]) }
    }

    @Test func everyLimitHasAFlag() throws {
        let configuration = try ChatServerCommand.parse([
            "--host", "::1", "--max-body-bytes", "100", "--max-header-bytes", "200", "--max-header-count", "7",
            "--max-request-line-bytes", "300", "--header-timeout", "1.5", "--idle-timeout", "2",
            "--max-stream-output-bytes", "4096", "--max-connections", "9", "--max-message-length", "10",
            "--history-size", "5", "--heartbeat", "0.5", "--retry", "100", "--cors-origin", "none", "--max-lobbies-per-user", "8",
            "--shutdown-timeout", "3", "--problem-type-base", "https://example.com/p/",
            "--max-connections-per-client", "4", "--max-idle-connections-per-client", "0", "--max-streams-per-client", "6",
            "--trusted-proxy", "127.0.0.1, 10.0.0.0/8", "--trusted-proxy", "fd00::/8", "--forwarded-header", "forwarded",
        ]).makeConfiguration(environment: [:])
        #expect(configuration.http.limits.maxConnectionsPerClient == 4)
        #expect(configuration.http.limits.maxIdleConnectionsPerClient == 0)
        #expect(configuration.http.limits.maxStreamsPerClient == 6)
        #expect(configuration.http.trustedProxies.ranges.map(\.description) == ["127.0.0.1", "10.0.0.0/8", "fd00::/8"])
        #expect(configuration.http.trustedProxies.header == .forwarded)
        #expect(configuration.http.host == "::1")
        #expect(configuration.http.limits.maxBodyBytes == 100)
        #expect(configuration.http.limits.maxHeaderBytes == 200)
        #expect(configuration.http.limits.maxHeaderCount == 7)
        #expect(configuration.http.limits.maxRequestLineBytes == 300)
        #expect(configuration.http.limits.headerTimeout == .milliseconds(1500))
        #expect(configuration.http.limits.idleTimeout == .seconds(2))
        #expect(configuration.http.limits.maxStreamOutputBytes == 4096)
        #expect(configuration.http.limits.maxConnections == 9)
        #expect(configuration.chat.maxMessageLength == 10)
        #expect(configuration.chat.historySize == 5)
        #expect(configuration.chat.heartbeat == .milliseconds(500))
        #expect(configuration.chat.retryMilliseconds == 100)
        #expect(configuration.chat.maxLobbiesPerUser == 8)
        #expect(configuration.corsOrigins == [])
        #expect(configuration.shutdownDeadline == .seconds(3))
        #expect(configuration.problemTypeBase == "https://example.com/p/")
    }

    @Test func streamSendsDefaultToIOUringAndTakeEachWay() throws {
        #expect(try ChatServerCommand.parse([]).makeConfiguration(environment: [:]).streamSends == .ioUring)
        for sends in ["send", "io-uring", "io-uring-sqpoll"] {
            let configuration = try ChatServerCommand.parse(["--stream-sends", sends]).makeConfiguration(environment: [:])
            #expect(configuration.streamSends.rawValue == sends)
        }
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--stream-sends", "uring"]) }
    }

    @Test func outOfRangeValuesAreRejected() throws {
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--max-message-length", "5000"]) }
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--port", "70000"]) }
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--heartbeat", "0"]) }
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--trusted-proxy", "nginx"]) }
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--max-streams-per-client", "-1"]) }
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--max-lobbies-per-user", "0"]) }
        // A share smaller than the largest body would refuse those bodies for good.
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--max-body-bytes-per-client", "1000"]) }
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--max-body-bytes", "200000", "--max-body-bytes-per-client", "100000"]) }
        #expect(try ChatServerCommand.parse(["--max-body-bytes-per-client", "0"]).makeConfiguration(environment: [:]).http.limits.maxBodyBytesPerClient == 0)
        #expect(try ChatServerCommand.parse(["--max-body-bytes-per-client", "65536"]).makeConfiguration(environment: [:]).http.limits.maxBodyBytesPerClient == 65536)
        // Past the ceiling a user stream's cursor could outgrow Last-Event-ID (UserCursorBoundTests).
        #expect(throws: (any Error).self) { try ChatServerCommand.parse(["--max-lobbies-per-user", String(ChatLimitOptions.maxLobbiesPerUserCeiling + 1)]) }
        #expect(try ChatServerCommand.parse(["--max-lobbies-per-user", String(ChatLimitOptions.maxLobbiesPerUserCeiling)])
            .makeConfiguration(environment: [:]).chat.maxLobbiesPerUser == ChatLimitOptions.maxLobbiesPerUserCeiling)
    }
}
