import ArgumentParser

/// The sizes of the requests scenario.
struct RequestsOptions: ParsableArguments {
    @Option(help: "Keep-alive connections.")
    var connections = 32

    @Option(help: "Seconds of load per route.")
    var duration = 10.0

    @Option(name: .customLong("requests"), help: "At most this many requests per route (default: bounded by --duration only).")
    var maxRequests: Int?

    @Option(help: "Lobbies the post route spreads over, each with a poster of its own (1: one busy lobby).")
    var lobbies = 1

    @Option(help: "Routes to load, in this order, comma-separated: ping, post, list (GET /chat), history (GET /chat/{room}/messages, 100 messages). A single route is what a profiler attached to the server should see.")
    var routes = "ping,post,list"

    /// `routes`, checked.
    var routeList: [RequestsScenario.Route] {
        get throws {
            try routes.split(separator: ",").map { name in
                guard let route = RequestsScenario.Route(rawValue: String(name)) else {
                    throw ValidationError("--routes: unknown route \(name) (ping, post, list, history)")
                }
                return route
            }
        }
    }

    func validate() throws {
        guard try !routeList.isEmpty else { throw ValidationError("--routes: name at least one route") }
        guard connections > 0, duration > 0, (maxRequests ?? 1) > 0, lobbies > 0 else {
            throw ValidationError("--connections, --duration, --requests and --lobbies must be positive")
        }
    }

    /// The plan, with the tiny sizes under `--quick`.
    func plan(_ target: TargetOptions) -> RequestsScenario.Plan {
        if target.quick {
            return .init(
                connections: 4, duration: 5, maxRequests: 300, threads: target.threads, timeout: target.timeout,
                routes: (try? routeList) ?? RequestsScenario.standardRoutes, lobbies: min(lobbies, 4))
        }
        return .init(
            connections: connections, duration: duration, maxRequests: maxRequests, threads: target.threads, timeout: target.timeout,
            routes: (try? routeList) ?? RequestsScenario.standardRoutes, lobbies: lobbies)
    }
}
