/// The media types a request's `Accept` header allows (RFC 9110 12.5.1), with their quality:
/// for a media type the most specific range that names it decides (`text/plain` over `text/*`
/// over `*/*`); `q=0` refuses it. No `Accept` at all accepts everything.
public struct AcceptedMediaTypes: Sendable, Hashable {
    /// One range: `type/subtype` (either may be `*`), lower-cased, and its quality.
    public struct Range: Sendable, Hashable {
        public var type: String
        public var subtype: String
        public var quality: Double
    }

    /// The ranges in the order sent; nil when the request had no `Accept`.
    public let ranges: [Range]?

    /// Everything acceptable, as for a request without `Accept`.
    public static let anything = AcceptedMediaTypes(header: nil)

    /// Parses the `Accept` field values (several lines are one comma-separated list); an entry
    /// that is not `type/subtype` is skipped, a `q` that is not a number from 0 to 1 counts as 1.
    public init(header values: [String]?) {
        guard let values, !values.isEmpty else {
            ranges = nil
            return
        }
        ranges = values.flatMap { $0.split(separator: ",") }.compactMap { entry in
            let essence = entry.split(separator: ";", maxSplits: 1).first?.trimmingWhitespace().lowercased() ?? ""
            let names = essence.split(separator: "/", omittingEmptySubsequences: false)
            guard names.count == 2, !names[0].isEmpty, !names[1].isEmpty, names[0] != "*" || names[1] == "*" else { return nil }
            var quality = 1.0
            for (name, value) in MediaTypeParameters.parse(entry) where name == "q" {
                if let number = Double(value), (0...1).contains(number) { quality = number }
            }
            return Range(type: String(names[0]), subtype: String(names[1]), quality: quality)
        }
    }

    /// The quality of `mediaType` (parameters ignored): 0 when nothing accepts it.
    public func quality(of mediaType: String) -> Double {
        guard let ranges else { return 1 }
        let names = mediaType.split(separator: ";").first?.trimmingWhitespace().lowercased().split(separator: "/") ?? []
        guard names.count == 2 else { return 0 }
        var best: (specificity: Int, quality: Double) = (-1, 0)
        for range in ranges {
            let specificity: Int
            if range.type == names[0] && range.subtype == names[1] {
                specificity = 2
            } else if range.type == names[0] && range.subtype == "*" {
                specificity = 1
            } else if range.type == "*" {
                specificity = 0
            } else {
                continue
            }
            if specificity > best.specificity { best = (specificity, range.quality) }
        }
        return best.quality
    }

    /// Whether `mediaType` is acceptable (quality above 0).
    public func accepts(_ mediaType: String) -> Bool {
        quality(of: mediaType) > 0
    }

    /// The index of the acceptable media type of highest quality, the earliest on a tie; nil
    /// when none is acceptable.
    public func preferred(among mediaTypes: [String]) -> Int? {
        var best: (index: Int, quality: Double)?
        for (index, mediaType) in mediaTypes.enumerated() {
            let quality = quality(of: mediaType)
            if quality > 0, quality > (best?.quality ?? 0) { best = (index, quality) }
        }
        return best?.index
    }
}
