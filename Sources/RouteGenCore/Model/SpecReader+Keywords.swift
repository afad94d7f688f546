extension SpecReader {
    /// Keywords that OpenAPI 3.0-3.2 or JSON Schema define but RouteGen does not read where they
    /// stand, with what leaving them out loses. One of these is a warning, never an error: the
    /// document is valid, the generated code is only less precise.
    static let definedButUnread: [String: String] = {
        var table: [String: String] = [:]
        let notChecked = "the generated code does not check it"
        for keyword in [
            "uniqueItems", "minProperties", "maxProperties", "multipleOf", "contains", "minContains", "maxContains",
            "propertyNames", "dependentRequired", "dependentSchemas", "dependencies", "unevaluatedProperties",
            "unevaluatedItems", "patternProperties", "prefixItems", "not", "if", "then", "else", "contentEncoding",
            "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "minItems", "maxItems", "enum", "const", "format", "required", "items", "properties",
            "additionalProperties", "additionalItems", "contentMediaType", "contentSchema",
        ] {
            table[keyword] = notChecked
        }
        for keyword in [
            "$schema", "$id", "$anchor", "$comment", "$defs", "definitions", "$dynamicRef", "$dynamicAnchor",
            "$vocabulary", "title", "description", "summary", "deprecated", "readOnly", "writeOnly", "example",
            "examples", "default", "externalDocs", "xml", "discriminator", "nullable", "type", "$ref",
        ] {
            table[keyword] = "an annotation the generated code does not use here"
        }
        for keyword in ["servers", "tags", "jsonSchemaDialect", "license", "contact", "termsOfService", "identifier"] {
            table[keyword] = "documentation only"
        }
        table["webhooks"] = "nothing is served or sent for them"
        table["callbacks"] = "the server makes no calls back"
        table["links"] = "they document relations for clients only"
        table["pathItems"] = "only the path items under 'paths' are served"
        table["encoding"] = "the per-part encoding is not applied"
        table["itemEncoding"] = "the per-part encoding is not applied"
        table["prefixEncoding"] = "the per-part encoding is not applied"
        table["allowReserved"] = "reserved characters are read percent-decoded as usual"
        table["allowEmptyValue"] = "an empty value is read like any other"
        table["style"] = "the parameter is read in its place's default style"
        table["explode"] = "the parameter is read in its place's default style"
        table["content"] = "not read here"
        table["flows"] = "the OAuth flows are documentation only"
        table["openIdConnectUrl"] = "documentation only"
        table["bearerFormat"] = "documentation only"
        table["mapping"] = "the discriminator mapping is not used"
        table["externalValue"] = "the external example is not fetched"
        table["query"] = "QUERY operations are not generated"
        table["additionalOperations"] = "operations of other methods are not generated"
        return table
    }()

    /// Reports each key outside `allowed`: a keyword OpenAPI or JSON Schema defines is a warning
    /// naming what is lost; in a schema of a 3.1+ document (JSON Schema ignores keywords it does
    /// not know) any other is a warning too; elsewhere an unknown key is an error, since the
    /// document is not valid OpenAPI. `x-` extensions are always allowed.
    mutating func checkKeys(_ pairs: [YAMLPair], allowed: Set<String>, in what: String, isSchema: Bool = false) {
        warnIgnored(pairs.filter { allowed.contains($0.key) })
        for pair in pairs where !allowed.contains(pair.key) && !pair.key.hasPrefix("x-") {
            if let lost = Self.definedButUnread[pair.key] {
                diagnostics.warn(.unreadKeyword(pair.key, in: what, lost: lost), at: pair.keyLocation)
            } else if isSchema && openAPIMinor >= 1 {
                diagnostics.warn(.unknownSchemaKeyword(pair.key, in: what), at: pair.keyLocation)
            } else {
                diagnostics.refuse(.unknownKeyword(pair.key, in: what), at: pair.keyLocation)
            }
        }
    }
}
