extension InputReader {
    /// An array query parameter of strings (`style: form`): every `name=value` pair when
    /// `explode` (`tag=a&tag=b`), else one comma-separated value (`tag=a,b`). Each item is
    /// checked against `rule` at `query.tag[i]`.
    public mutating func strings(
        _ name: String, _ rule: StringRule, explode: Bool, required: Bool, minItems: Int? = nil, maxItems: Int? = nil
    ) -> [String]? {
        items(name, explode: explode, required: required, minItems: minItems, maxItems: maxItems) { reader, text, field in
            reader.validator.check(text, against: rule, at: field)
            return text
        }
    }

    /// An array query parameter of integers (see `strings`).
    public mutating func integers(
        _ name: String, _ rule: NumberRule, explode: Bool, required: Bool, minItems: Int? = nil, maxItems: Int? = nil
    ) -> [Int]? {
        items(name, explode: explode, required: required, minItems: minItems, maxItems: maxItems) { $0.integer($1, rule, at: $2) }
    }

    /// An array query parameter of numbers (see `strings`).
    public mutating func numbers(
        _ name: String, _ rule: NumberRule, explode: Bool, required: Bool, minItems: Int? = nil, maxItems: Int? = nil
    ) -> [Double]? {
        items(name, explode: explode, required: required, minItems: minItems, maxItems: maxItems) { $0.number($1, rule, at: $2) }
    }

    /// An array query parameter of booleans (see `strings`).
    public mutating func booleans(
        _ name: String, explode: Bool, required: Bool, minItems: Int? = nil, maxItems: Int? = nil
    ) -> [Bool]? {
        items(name, explode: explode, required: required, minItems: minItems, maxItems: maxItems) { $0.boolean($1, at: $2) }
    }

    /// The items of an array query parameter, each read by `item` (text, field); nil when the
    /// parameter is absent or any item or the count fails, every failure recorded.
    private mutating func items<Item>(
        _ name: String, explode: Bool, required: Bool, minItems: Int?, maxItems: Int?,
        item: (inout InputReader, String, String) -> Item?
    ) -> [Item]? {
        let field = FieldPath.member(Place.query.rawValue, name)
        let values = query.pairs.filter { $0.name == name }.map(\.value)
        guard !values.isEmpty else {
            if required { validator.fail(field, "is required") }
            return nil
        }
        let texts: [String]
        if explode {
            texts = values
        } else {
            guard values.count == 1 else {
                validator.fail(field, "must be given once, not \(values.count) times, with its items separated by commas")
                return nil
            }
            // `name=` is the empty array.
            texts = values[0].isEmpty ? [] : values[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let before = validator.errors.count
        if let minItems, texts.count < minItems { validator.fail(field, "must have at least \(minItems) items") }
        if let maxItems, texts.count > maxItems { validator.fail(field, "must have at most \(maxItems) items") }
        let read = texts.enumerated().map { index, text in item(&self, text, FieldPath.index(field, index)) }
        guard validator.errors.count == before else { return nil }
        return read.compactMap { $0 }
    }
}
