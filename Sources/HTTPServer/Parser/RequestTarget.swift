/// The forms of a request target a server meets (RFC 9112 §3.2), and where the path and query
/// are in each.
///
/// - origin form, `/chat/ping?x=1`: the common case;
/// - absolute form, `http://127.0.0.1:3000/chat/ping?x=1`: a server MUST accept it (§3.2.2); its
///   authority is ignored (the server answers for itself whatever `Host` or authority says) and
///   the rest reads as the origin form (an empty path is `/`);
/// - asterisk form, `*`: only with `OPTIONS`, asking about the server as a whole (§3.2.4).
///
/// The authority form (`host:port`) belongs to `CONNECT`, which this server does not do; the
/// parser refuses it and every other target with 400.
public enum RequestTarget: Sendable, Equatable {
    case origin
    case absolute
    case asterisk

    /// The form of `target`, nil when it has none of them.
    public static func form(of target: String) -> RequestTarget? {
        if target.utf8.first == UInt8(ascii: "/") { return .origin }
        if target == "*" { return .asterisk }
        return originStart(ofAbsolute: target) == nil ? nil : .absolute
    }

    /// The origin-form part of `target`: the target itself in origin form, `*` in asterisk form,
    /// the path and query after the authority in absolute form (`/` when the path is empty).
    static func originForm(of target: String) -> Substring {
        if target.utf8.first == UInt8(ascii: "/") { return target[...] }
        guard let start = originStart(ofAbsolute: target) else { return target[...] }
        let rest = target[start...]
        return rest.utf8.first == UInt8(ascii: "/") ? rest : Substring("/" + rest)
    }

    /// Where the path of an `http://` or `https://` target (scheme in any case) starts: after the
    /// authority, at the first `/` or `?`, or at the end. Nil for anything else, or an empty
    /// authority.
    private static func originStart(ofAbsolute target: String) -> String.Index? {
        let utf8 = target.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let scheme = target[..<colon].lowercased()
        guard scheme == "http" || scheme == "https", target[colon...].hasPrefix("://") else { return nil }
        let authorityStart = utf8.index(colon, offsetBy: 3)
        let end = utf8[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? utf8.endIndex
        return end == authorityStart ? nil : end
    }
}
