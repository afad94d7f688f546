import ArgumentParser
import Foundation
import HTTPServer

/// Where the server listens, whom it believes about the client's address, and whom CORS allows.
struct NetworkOptions: ParsableArguments {
    /// What the options default to: the configuration's own defaults.
    private static let defaults = ChatServerConfiguration()

    @Option(help: "The IPv4 or IPv6 address to listen on.")
    var host = Self.defaults.http.host

    @Option(help: "The port to listen on; 0 picks a free one. (default: $PORT, else \(ChatServerConfiguration().http.port))")
    var port: Int?

    @Option(help: ArgumentHelp(
        "A proxy whose X-Forwarded-For / Forwarded names the client (an address or a CIDR block; repeat or separate with commas).",
        valueName: "address-or-cidr"))
    var trustedProxy: [String] = []

    @Option(help: "The header the trusted proxies name the client in: x-forwarded-for or forwarded (RFC 7239); the other is ignored.")
    var forwardedHeader = Self.defaults.http.trustedProxies.header

    @Option(help: "The origins CORS allows: '*' any; a comma-separated list of exact origins, each echoed with 'Vary: Origin'; 'none' sends no CORS headers.")
    var corsOrigin = Self.defaults.corsOrigins.joined(separator: ",")

    @Option(help: ArgumentHelp(
        "How a lobby's round of event writes reaches the kernel: 'io-uring' (one io_uring_enter(2) per 1,024 streams; 'send' where the kernel refuses io_uring), 'send' (one send(2) per stream) or 'io-uring-sqpoll' (io_uring with a kernel thread polling for the sends).",
        valueName: "send|io-uring|io-uring-sqpoll"))
    var streamSends = Self.defaults.streamSends

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
        for name in trustedProxyNames where AddressRange(name) == nil {
            throw ValidationError("--trusted-proxy takes IP addresses and CIDR blocks (127.0.0.1, 10.0.0.0/8, ::1), not '\(name)'")
        }
    }

    /// Each `--trusted-proxy` value, split at commas.
    private var trustedProxyNames: [String] {
        trustedProxy.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Sets the address, the trusted proxies and CORS; the port is `--port`, else `$PORT`.
    func apply(to configuration: inout ChatServerConfiguration, environment: [String: String]) throws {
        configuration.http.host = host
        if let port {
            configuration.http.port = port
        } else if let text = environment["PORT"] {
            guard let value = Int(text), (0...65535).contains(value) else { throw ValidationError("PORT must be a port number, not '\(text)'") }
            configuration.http.port = value
        }
        configuration.http.trustedProxies = TrustedProxies(trustedProxyNames.compactMap(AddressRange.init), header: forwardedHeader)
        configuration.streamSends = streamSends
        configuration.corsOrigins = corsOrigin == "none" ? [] : corsOrigin.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

extension TrustedProxies.Header: ExpressibleByArgument {}

extension StreamSends: ExpressibleByArgument {}
