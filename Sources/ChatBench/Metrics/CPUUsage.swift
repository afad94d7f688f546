/// CPU time spent by the tool and by the server over one measured phase.
struct CPUUsage: Sendable, Codable {
    /// Wall-clock length of the phase, in seconds.
    var wallSeconds: Double
    /// The tool's own user + system time (`getrusage`), in seconds.
    var benchSeconds: Double
    /// The server's user + system time (`/proc/PID/stat`), in seconds; nil without `--server-pid`.
    var serverSeconds: Double?
    /// All cores' busy time over the phase (`/proc/stat`), in seconds; nil if unreadable.
    var machineBusySeconds: Double?

    /// Busy time that was neither the tool's nor the server's (other processes), in seconds;
    /// nil without `--server-pid`.
    var otherSeconds: Double? {
        guard let machineBusySeconds, let serverSeconds else { return nil }
        return max(0, machineBusySeconds - benchSeconds - serverSeconds)
    }

    /// `otherSeconds` as a share of one core, in percent.
    var otherPercent: Double? { otherSeconds.map { wallSeconds > 0 ? $0 / wallSeconds * 100 : 0 } }

    /// The tool's CPU as a share of one core, in percent.
    var benchPercent: Double { wallSeconds > 0 ? benchSeconds / wallSeconds * 100 : 0 }
    /// The server's CPU as a share of one core, in percent.
    var serverPercent: Double? { serverSeconds.map { wallSeconds > 0 ? $0 / wallSeconds * 100 : 0 } }
}
