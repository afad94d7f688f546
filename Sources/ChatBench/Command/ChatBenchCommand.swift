import ArgumentParser

/// `ChatBench <scenario> --base-url http://127.0.0.1:PORT [options]`: load for any server that
/// implements api.yaml, with its own HTTP/1.1 client on epoll.
@main
struct ChatBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ChatBench",
        abstract: "Benchmarks a server implementing api.yaml (loopback only).",
        discussion: """
            Scenarios: requests (throughput and latency of ping, post, list lobbies), fanout (deliveries \
            per second and publish-to-receive latency, with loss, duplicate and order checks), userstream (the same over user streams, each user in every lobby), capacity \
            (idle streams held; server memory and descriptors per stream with --server-pid), typing (server CPU per typing request and delivery), codegen \
            (RouteGen on the spec), presence (one big lobby's streams coming and going), all; report merges the --json output of several runs. Exits 1 when anything was lost, duplicated, reordered or failed.
            """,
        subcommands: [
            RequestsCommand.self, FanoutCommand.self, UserStreamCommand.self, CapacityCommand.self, TypingCommand.self, CodegenCommand.self,
            AllCommand.self, ReportCommand.self, PresenceCommand.self,
        ])
}
