extension SpecReader {
    /// `components.securitySchemes`: `http` with `bearer` or `basic`, and `apiKey` in a header,
    /// the query or a cookie. Others are an error that names them.
    mutating func readSecuritySchemes() -> [SecurityScheme] {
        guard let entries = components["securitySchemes"] else { return [] }
        var schemes: [SecurityScheme] = []
        for (name, node) in entries.sorted(by: { $0.value.location < $1.value.location }) {
            guard let pairs = mapping(node, "security scheme '\(name)'") else { continue }
            checkKeys(
                pairs, allowed: ["type", "description", "scheme", "bearerFormat", "in", "name", "flows", "openIdConnectUrl", "oauth2MetadataUrl", "deprecated"],
                in: "security scheme '\(name)'")
            guard let typeNode = node["type"], let type = string(typeNode, "type") else {
                diagnostics.refuse(.schemeWithoutType(name), at: node.location)
                continue
            }
            switch type {
            case "http":
                let scheme = string(node["scheme"], "scheme")?.lowercased()
                switch scheme {
                case "bearer": schemes.append(SecurityScheme(name: name, kind: .bearer, location: node.location))
                case "basic": schemes.append(SecurityScheme(name: name, kind: .basic, location: node.location))
                default:
                    diagnostics.warn(.httpSchemeNotGenerated(scheme ?? "", name: name), at: node["scheme"]?.location ?? node.location)
                }
            case "apiKey":
                guard let place = string(node["in"], "in"), ["header", "query", "cookie"].contains(place),
                    let keyName = string(node["name"], "name")
                else {
                    diagnostics.refuse(.incompleteAPIKeyScheme(name), at: node.location)
                    continue
                }
                schemes.append(SecurityScheme(name: name, kind: .apiKey(place: place, name: keyName), location: node.location))
            case "oauth2", "openIdConnect":
                // The access token travels as a bearer token; scopes are the handler's to check.
                diagnostics.warn(.readAsBearer(type, name: name), at: typeNode.location)
                schemes.append(SecurityScheme(name: name, kind: .bearer, location: node.location))
            case "mutualTLS":
                diagnostics.warn(.mutualTLSNotChecked(name), at: typeNode.location)
            default:
                diagnostics.refuse(.unknownSchemeType(type), at: typeNode.location)
            }
        }
        return schemes
    }

    /// A `security` list: the alternatives, each one scheme's name, or nil for `{}` (no
    /// credential needed). Nil when `node` is absent.
    mutating func readSecurity(_ node: YAMLNode?, schemes: [SecurityScheme]) -> [String?]? {
        guard let node, let items = sequence(node, "security") else { return nil }
        var alternatives: [String?] = []
        for item in items {
            guard let pairs = mapping(item, "a security requirement") else { continue }
            guard pairs.count <= 1 else {
                // Every scheme at once: the router checks the first; the others are the handler's.
                diagnostics.warn(.severalSchemesAtOnce(checked: pairs[0].key), at: item.location)
                if schemes.contains(where: { $0.name == pairs[0].key }) { alternatives.append(pairs[0].key) }
                continue
            }
            guard let pair = pairs.first else {
                alternatives.append(nil)
                continue
            }
            guard components["securitySchemes"]?[pair.key] != nil else {
                diagnostics.refuse(.requirementWithoutScheme(pair.key), at: pair.keyLocation)
                continue
            }
            // A scheme that was rejected is reported where it is; not again at each use.
            guard schemes.contains(where: { $0.name == pair.key }) else { continue }
            if let scopes = pair.value.items, !scopes.isEmpty, case .apiKey = schemes.first(where: { $0.name == pair.key })!.kind {
                diagnostics.warn(.scopesNotChecked(pair.key), at: pair.value.location)
            }
            alternatives.append(pair.key)
        }
        return alternatives
    }
}
