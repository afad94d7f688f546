extension SpecReader {
    /// The Swift case of each media type of a `content` with several: the subtype's words
    /// (`application/json` → `json`, `text/plain` → `plain`, `image/*` → `any`), or the whole
    /// type's where two subtypes meet (`applicationJson`); of two that still meet
    /// (`application/vnd+json`, `application/vnd-json`) the later is numbered
    /// (`applicationVndJson_2`). Numbered so that the names the generated code derives from a
    /// case by its words (the router's `bodyApplicationVndJson2`) stay distinct too.
    func mediaCaseNames(_ entries: [YAMLPair]) -> [String] {
        guard entries.count > 1 else { return entries.map { _ in "" } }
        let words = { (mediaType: String, whole: Bool) -> String in
            let parts = mediaType.lowercased().split(separator: "/", maxSplits: 1).map { $0 == "*" ? "any" : String($0) }
            return SwiftNames.member(whole || parts.count < 2 ? parts.joined(separator: "-") : parts[1])
        }
        let short = entries.map { words($0.key, false) }
        var counts: [String: Int] = [:]
        for name in short { counts[name, default: 0] += 1 }
        var numbering = GeneratedNames.Numbering { $0.filter { $0.isLetter || $0.isNumber } }
        return entries.indices.map { index in
            numbering.next(counts[short[index]]! > 1 ? words(entries[index].key, true) : short[index])
        }
    }

    /// A `format: binary` string is a file, which only a multipart body carries: in JSON it is
    /// a warning at the first such property `schema` reaches (the value is checked as a file).
    mutating func checkNoFiles(_ schema: Schema, in what: String) {
        // Shared by every call: a schema searched once is not searched again, so the check
        // stays linear in the document (one warning per file, where it is first reached).
        var seen: Set<String> = []
        swap(&seen, &namesCheckedForFiles)  // moved, not copied: the set grows with the document
        defer { swap(&seen, &namesCheckedForFiles) }
        if let file = firstFile(in: schema, seen: &seen) {
            diagnostics.warn(.fileInJSON(what), at: file.location)
        }
    }

    private func firstFile(in schema: Schema, seen: inout Set<String>) -> Schema? {
        switch schema.kind {
        case .string(let rules): return rules.format == "binary" ? schema : nil
        case .reference(let name):
            guard seen.insert(name).inserted else { return nil }
            let target = inlineSchema(named: name) ?? componentSchema(named: name)
            return target.flatMap { firstFile(in: $0, seen: &seen) }
        case .object(let shape):
            for property in shape.properties {
                if let file = firstFile(in: property.schema, seen: &seen) { return file }
            }
            return nil
        case .array(let items, _, _): return firstFile(in: items, seen: &seen)
        case .map(let values): return firstFile(in: values, seen: &seen)
        case .oneOf(let oneOf):
            for variant in oneOf.variants {
                let variantSchema = variant.schema ?? Schema(.reference(variant.schemaName), at: schema.location)
                if let file = firstFile(in: variantSchema, seen: &seen) { return file }
            }
            return nil
        case .integer, .number, .boolean, .any: return nil
        }
    }
}
