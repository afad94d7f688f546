import EventLoop
import Foundation

/// What `/proc/stat` says about the whole machine: how busy all its cores were, so a report
/// can show how much CPU went to neither the tool nor the server (other processes sharing the
/// machine).
enum MachineProbe {
    /// CPU seconds all cores have spent busy since boot (user, nice, system, irq, softirq,
    /// steal), or nil when `/proc/stat` cannot be read.
    static func busySeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return nil }
        // user nice system idle iowait irq softirq steal [guest guest_nice, already in user]
        let busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]
        return busy / System.clockTicksPerSecond
    }
}
