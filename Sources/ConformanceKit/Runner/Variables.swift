import Foundation
import RouteGenCore

/// The values a scenario has bound (setup labels, captures, built-ins) and their use in
/// templates: a whole `${name}` becomes the value itself (an integer stays an integer); `${name}`
/// inside longer text is replaced by the value's text.
struct Variables: Sendable {
    /// A template named a variable that is not bound.
    struct Unbound: Error, Sendable, CustomStringConvertible {
        var name: String
        var known: [String]
        var description: String { "unknown variable ${\(name)} (bound: \(known.sorted().joined(separator: ", ")))" }
    }

    private(set) var values: [String: JSON] = [:]

    init(_ values: [String: JSON] = [:]) {
        self.values = values
    }

    subscript(name: String) -> JSON? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// `json` with every template in its strings (and keys) resolved.
    func resolve(_ json: JSON) throws(Unbound) -> JSON {
        switch json {
        case .string(let text):
            if let name = Self.wholeReference(text) {
                guard let value = values[name] else { throw Unbound(name: name, known: Array(values.keys)) }
                return value
            }
            return .string(try resolve(text))
        case .array(let items):
            var resolved: [JSON] = []
            for item in items { resolved.append(try resolve(item)) }
            return .array(resolved)
        case .object(let pairs):
            var resolved: [(key: String, value: JSON)] = []
            for pair in pairs { resolved.append((key: try resolve(pair.key), value: try resolve(pair.value))) }
            return .object(resolved)
        default:
            return json
        }
    }

    /// `text` with every `${name}` replaced by its value's text.
    func resolve(_ text: String) throws(Unbound) -> String {
        var result = ""
        var rest = Substring(text)
        for _ in 0..<10_000 {
            guard let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            result += rest[..<start.lowerBound]
            let name = String(rest[start.upperBound..<end])
            guard let value = values[name] else { throw Unbound(name: name, known: Array(values.keys)) }
            result += value.plainText
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// The name in a string that is exactly `${name}`.
    private static func wholeReference(_ text: String) -> String? {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count > 3 else { return nil }
        let name = text.dropFirst(2).dropLast()
        return name.contains("}") || name.contains("{") ? nil : String(name)
    }
}
