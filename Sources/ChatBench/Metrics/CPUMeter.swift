import EventLoop

/// Starts counting at `init`; `stop()` gives the CPU both processes used since.
struct CPUMeter {
    private let server: ServerProbe?
    private let startedAt = System.monotonicNanoseconds()
    private let benchAtStart = System.processCPUSeconds()
    private let serverAtStart: Double?
    private let machineAtStart = MachineProbe.busySeconds()

    /// Starts now; reads the server's counters too when `server` is given.
    init(server: ServerProbe?) {
        self.server = server
        serverAtStart = try? server?.cpuSeconds()
    }

    /// The usage since `init`.
    func stop() -> CPUUsage {
        let wall = Double(System.monotonicNanoseconds() - startedAt) / 1e9
        let bench = System.processCPUSeconds() - benchAtStart
        var serverSeconds: Double?
        if let server, let serverAtStart, let now = try? server.cpuSeconds() { serverSeconds = now - serverAtStart }
        var machine: Double?
        if let machineAtStart, let now = MachineProbe.busySeconds() { machine = now - machineAtStart }
        return CPUUsage(wallSeconds: wall, benchSeconds: bench, serverSeconds: serverSeconds, machineBusySeconds: machine)
    }
}
