import EventLoop
import Foundation

/// What `/proc` says about the server process named by `--server-pid`.
struct ServerProbe: Sendable {
    /// The server's process id.
    let pid: Int32

    /// Why the server could not be read.
    struct Unreadable: Error, CustomStringConvertible {
        let path: String
        var description: String { "cannot read \(path) (is --server-pid right, and the server still running?)" }
    }

    /// Resident memory, in KiB (`VmRSS` of `/proc/PID/status`).
    func residentKiB() throws -> Int {
        let path = "/proc/\(pid)/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { throw Unreadable(path: path) }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            if let kib = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int($0) }) {
                return kib
            }
        }
        throw Unreadable(path: path + " (VmRSS)")
    }

    /// Open descriptors (entries of `/proc/PID/fd`).
    func openDescriptors() throws -> Int {
        let path = "/proc/\(pid)/fd"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { throw Unreadable(path: path) }
        return entries.count
    }

    /// User plus system CPU time, in seconds (`utime` + `stime` of `/proc/PID/stat`).
    func cpuSeconds() throws -> Double {
        let path = "/proc/\(pid)/stat"
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { throw Unreadable(path: path) }
        // After "pid (comm)" come fields 3...; utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw Unreadable(path: path + " (utime, stime)")
        }
        return (user + system) / System.clockTicksPerSecond
    }
}
