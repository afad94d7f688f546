import APIRuntime
import HTTPServer

/// Everything the chat server can be told: where to listen, the transport's limits, the chat's
/// own limits, and CORS. Every field has the documented default.
struct ChatServerConfiguration: Sendable {
    /// Address, port and transport limits. Default `127.0.0.1:3000` and `HTTPLimits()`.
    var http = HTTPServerConfiguration(host: "127.0.0.1", port: 3000)
    var chat = ChatLimits()
    /// The origins CORS allows (`RouterOptions.allowedOrigins`): `["*"]` any, exact origins
    /// echoed with `Vary: Origin`, or none. Default `["*"]`.
    var corsOrigins = ["*"]
    /// How long shutdown waits for requests in flight. Default 10 seconds.
    var shutdownDeadline: Duration = .seconds(10)
    /// What every problem's `type` starts with, the router's and the transport's alike; the
    /// kind follows (`…/problems/room-taken`). Default `https://chat.example/problems/`, as the
    /// spec documents.
    var problemTypeBase = "https://chat.example/problems/"
    /// Whether acting as a user takes that user's token (`token`) or only its id (`none`, for
    /// trusted networks). Default `token`.
    var authentication = AuthenticationMode.token
    /// Rate limits per user and per client address. Default `RateLimitConfiguration()`.
    var rateLimits = RateLimitConfiguration()
    /// The PostgreSQL store's database; nil keeps the chat in memory. Default nil.
    var database: DatabaseConfiguration?
    /// Whether `/metrics` answers (else 404) and requests are counted. Default true.
    var metricsEnabled = true
    /// Whether `/metrics` counts against the per-address limits like any route. Default true.
    var metricsRateLimited = true
    /// How a lobby's round of writes reaches the kernel: one `io_uring_enter` per batch of
    /// streams, or a `send` per stream. Default `io-uring` (`send` where the kernel refuses it).
    var streamSends = StreamSends.ioUring
}
