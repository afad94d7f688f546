import ArgumentParser
import EventLoop

/// The options every scenario that talks to a server shares.
struct TargetOptions: ParsableArguments {
    @Option(help: "The server, http://127.0.0.1:PORT or http://[::1]:PORT (loopback only).")
    var baseURL = "http://127.0.0.1:3000"

    @Option(help: "The server's process id, for its memory, descriptors and CPU time from /proc.")
    var serverPid: Int32?

    @Option(help: "Event-loop threads of the tool (at most one per core).")
    var threads = 1

    @Option(help: "Seconds any one wait may take: setup calls, last deliveries, the check message.")
    var timeout = 10.0

    @Flag(help: "Tiny sizes, for a correctness smoke run (a few hundred requests, 20 subscribers × 20 messages, 50 streams).")
    var quick = false

    @Flag(help: "Print JSON instead of the tables.")
    var json = false

    func validate() throws {
        guard (1...System.activeProcessorCount).contains(threads) else {
            throw ValidationError("--threads must be 1 to \(System.activeProcessorCount) (one per core at most)")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        do { _ = try LoopbackAddress(baseURL: baseURL) } catch { throw ValidationError(error.description) }
    }
}
