/// How figures are written in the tables.
enum Format {
    /// A count or rate: grouped thousands from 10,000, otherwise up to two decimals.
    static func number(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return "–" }
        if abs(value) >= 10_000 { return grouped(Int(value.rounded())) }
        if abs(value) >= 100 { return String(Int(value.rounded())) }
        if abs(value) >= 10 { return fixed(value, decimals: 1) }
        return fixed(value, decimals: 2)
    }

    /// An integer with grouped thousands.
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// Milliseconds with a precision that suits their size.
    static func milliseconds(_ value: Double) -> String {
        if value < 1 { return fixed(value, decimals: 3) }
        if value < 10 { return fixed(value, decimals: 2) }
        if value < 100 { return fixed(value, decimals: 1) }
        return String(Int(value.rounded()))
    }

    /// CPU seconds and the share of one core, e.g. `1.23 s (45%)`.
    static func cpu(_ seconds: Double?, percent: Double?) -> String {
        guard let seconds, let percent else { return "–" }
        return "\(fixed(seconds, decimals: 2)) s (\(Int(percent.rounded()))%)"
    }

    /// `value` with exactly `decimals` digits after the point.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
