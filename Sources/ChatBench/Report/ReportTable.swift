/// A report as Markdown tables (readable in a terminal, pasteable into BENCHMARKS.md).
enum ReportTable {
    /// Every non-empty section, then the goals, then what failed.
    static func render(_ report: BenchReport) -> String {
        var sections = ["CPU columns: seconds of CPU over the measured phase (share of one core); \"others\" is the machine's busy time (/proc/stat) spent by neither the tool nor the server."]
        if report.requests.isEmpty && report.fanout.isEmpty && report.capacity.isEmpty { sections.removeAll() }
        if !report.requests.isEmpty { sections.append(requests(report.requests)) }
        if !report.fanout.isEmpty { sections.append(fanout(report.fanout)) }
        if !report.capacity.isEmpty { sections.append(capacity(report.capacity)) }
        if !report.codegen.isEmpty { sections.append(codegen(report.codegen)) }
        let goals = report.fanout.flatMap { result in result.goals.map { ("fanout \(label(result))", $0) } }
            + report.capacity.flatMap { result in result.goals.map { ("capacity \(Format.grouped(result.streams)) streams", $0) } }
        if !goals.isEmpty { sections.append(goalTable(goals)) }
        let failures = report.failures
        if !failures.isEmpty { sections.append("FAILED:\n" + failures.map { "- \($0)" }.joined(separator: "\n")) }
        return sections.joined(separator: "\n\n") + "\n"
    }

    private static func table(_ header: [String], _ rows: [[String]]) -> String {
        var lines = ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in " --- |" }.joined()]
        for row in rows { lines.append("| " + row.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    private static func cpu(_ usage: CPUUsage) -> [String] {
        [Format.cpu(usage.benchSeconds, percent: usage.benchPercent), Format.cpu(usage.serverSeconds, percent: usage.serverPercent),
         Format.cpu(usage.otherSeconds, percent: usage.otherPercent)]
    }

    private static func requests(_ results: [RequestsResult]) -> String {
        "**requests** (closed loop: each connection sends its next request when the answer is in)\n\n" + table(
            ["route", "connections", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "errors", "bench CPU", "server CPU", "others' CPU"],
            results.map { result in
                [result.route, String(result.connections), Format.grouped(result.requests), Format.number(result.requestsPerSecond),
                 Format.milliseconds(result.latency.p50Milliseconds), Format.milliseconds(result.latency.p99Milliseconds),
                 Format.milliseconds(result.latency.maxMilliseconds), String(result.errors)] + cpu(result.cpu)
            })
    }

    private static func label(_ result: FanoutResult) -> String {
        let rate = result.ratePerLobby.map { "\(Format.number($0)) msg/s per lobby" } ?? "max rate"
        let threads = result.benchThreads == 1 ? "" : ", \(result.benchThreads) tool threads"
        return "\(Format.grouped(result.subscribers)) subscribers / \(result.lobbies) \(result.lobbies == 1 ? "lobby" : "lobbies"), \(rate)\(threads)"
    }

    private static func fanout(_ results: [FanoutResult]) -> String {
        "**fanout** (latency: from the send time inside the message to its arrival at a subscriber)\n\n" + table(
            ["subscribers / lobbies", "rate per lobby", "tool threads", "posted", "deliveries", "deliveries/s", "posts/s", "p50 ms", "p99 ms", "max ms",
             "lost", "dup", "reordered", "bench CPU", "server CPU", "others' CPU"],
            results.map { result in
                ["\(Format.grouped(result.subscribers)) / \(result.lobbies)", result.ratePerLobby.map { Format.number($0) + "/s" } ?? "max",
                 String(result.benchThreads), Format.grouped(result.posted), Format.grouped(result.deliveries) + (result.deliveries == result.expectedDeliveries ? "" : " of \(Format.grouped(result.expectedDeliveries))"),
                 Format.number(result.deliveriesPerSecond), Format.number(result.postsPerSecond),
                 Format.milliseconds(result.latency.p50Milliseconds), Format.milliseconds(result.latency.p99Milliseconds),
                 Format.milliseconds(result.latency.maxMilliseconds), String(result.lost), String(result.duplicates),
                 String(result.reordered)] + cpu(result.cpu)
            })
    }

    private static func capacity(_ results: [CapacityResult]) -> String {
        func optional(_ value: Int?) -> String { value.map { Format.grouped($0) } ?? "–" }
        func mib(_ kib: Int?) -> String { kib.map { Format.number(Double($0) / 1024) + " MiB" } ?? "–" }
        return "**capacity** (idle streams held; server figures from /proc with --server-pid)\n\n" + table(
            ["streams opened", "open time s", "server RSS before → with", "KiB/stream", "server fds before → with → after close",
             "held s", "check message to all ms: from post / from its answer (median of checks)", "server CPU per check ms", "bench CPU", "server CPU", "others' CPU"],
            results.map { result in
                ["\(Format.grouped(result.opened)) of \(Format.grouped(result.streams))", Format.number(result.openSeconds),
                 "\(mib(result.serverRSSBeforeKiB)) → \(mib(result.serverRSSWithStreamsKiB))",
                 result.serverKiBPerStream.map { Format.number($0) } ?? "–",
                 "\(optional(result.serverFDsBefore)) → \(optional(result.serverFDsWithStreams)) → \(optional(result.serverFDsAfterClose))",
                 Format.number(result.heldSeconds),
                 "\(Format.milliseconds(result.checkFanoutMilliseconds)) / \(result.checkFromAnswerMedianMilliseconds.map(Format.milliseconds) ?? "–")"
                     + " (\(result.checkFromAnswerMilliseconds?.count ?? 1) checks, \(Format.grouped(result.receivedCheck)) got each)",
                 perCheckServerMilliseconds(result)] + cpu(result.cpu)
            })
    }

    /// The server's CPU over the check messages, per message.
    private static func perCheckServerMilliseconds(_ result: CapacityResult) -> String {
        guard let seconds = result.checkCPU?.serverSeconds, let checks = result.checkFromAnswerMilliseconds?.count, checks > 0 else { return "–" }
        return Format.milliseconds(seconds / Double(checks) * 1000)
    }

    private static func codegen(_ results: [CodegenResult]) -> String {
        "**codegen** (RouteGenCore in process, after one warm-up run)\n\n" + table(
            ["spec", "spec bytes", "runs", "load median ms", "generate median ms", "total median ms", "total min ms", "Swift generated"],
            results.map { result in
                [result.spec, Format.grouped(result.specBytes), String(result.runs), Format.milliseconds(result.loadMedianMilliseconds),
                 Format.milliseconds(result.generateMedianMilliseconds), Format.milliseconds(result.totalMedianMilliseconds),
                 Format.milliseconds(result.totalMinMilliseconds), Format.grouped(result.generatedBytes) + " bytes"]
            })
    }

    private static func goalTable(_ goals: [(String, GoalCheck)]) -> String {
        "**goals** (reported against, not tested)\n\n" + table(
            ["scenario", "goal", "target", "measured", "met"],
            goals.map { scenario, goal in [scenario, goal.name, goal.target, goal.measured, goal.met ? "yes" : "**no**"] })
    }
}
