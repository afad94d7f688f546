import RouteGenCore

/// Reads a paged list to its end by following `Link: <…>; rel="next"` (RFC 8288), so a check
/// for the items a unit created does not depend on how many items a long-lived server holds.
struct PageWalker {
    /// Pages read at most after the first (1000 pages of 1000 items: a million items).
    static let maxPages = 1000

    let client: HTTPClient

    /// The target (path and query) of `head`'s `rel="next"` link, if it has one. An absolute
    /// URL's scheme and authority are dropped: the next page is asked of the same server.
    static func nextTarget(_ head: ResponseHead) -> String? {
        guard let value = head.header("Link") else { return nil }
        for link in value.split(separator: ",") {
            let parts = link.split(separator: ";").map { String($0).trimmingSpaces }
            guard let reference = parts.first, reference.hasPrefix("<"), reference.hasSuffix(">") else { continue }
            let isNext = parts.dropFirst().contains { parameter in
                let pair = parameter.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
                return pair.count == 2 && pair[0].lowercased() == "rel"
                    && pair[1].withoutQuotes.lowercased().split(separator: " ").contains("next")
            }
            guard isNext else { continue }
            var target = String(reference.dropFirst().dropLast())
            if let scheme = target.firstRange(of: "://") {
                let rest = target[scheme.upperBound...]
                target = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
            }
            return target
        }
        return nil
    }

    /// The items of `first` (a JSON array answer) and of every page its links lead to, or a
    /// problem: a page that is not a 200 JSON array, or more pages than `maxPages`.
    func allItems(from first: ClientResponse, request: ClientRequest) -> Result<[JSON], PageFailure> {
        guard case .array(var items)? = try? JSONParser.parse(first.body) else { return .failure(PageFailure(text: "the first page is not a JSON array")) }
        var head = first.head
        for _ in 0..<Self.maxPages {
            guard let target = Self.nextTarget(head) else { return .success(items) }
            var next = ClientRequest(method: "GET", target: target, headers: request.headers.filter { $0.name.lowercased() != "content-length" })
            next.body = nil
            let response: ClientResponse
            do {
                response = try client.send(next)
            } catch {
                return .failure(PageFailure(text: "following Link to \(target): \(error)"))
            }
            guard response.status == 200, case .array(let more)? = try? JSONParser.parse(response.body) else {
                return .failure(PageFailure(text: "following Link to \(target): expected 200 and a JSON array, got \(response.summary)"))
            }
            items += more
            head = response.head
        }
        return .failure(PageFailure(text: "more than \(Self.maxPages) pages follow one another through Link"))
    }

    /// Why a paged list could not be read.
    struct PageFailure: Error, Sendable {
        var text: String
    }
}

private extension String {
    /// The text without the double quotes around it (a quoted-string parameter value).
    var withoutQuotes: String {
        count >= 2 && hasPrefix("\"") && hasSuffix("\"") ? String(dropFirst().dropLast()) : self
    }
}
