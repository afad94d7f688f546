/// The Swift names of a document's schemas and operations, unique by construction.
///
/// Spec names never reach the top level of the generated module: schemas are
/// `Components.Schemas.X`, operations `Operations.X`, and the code that uses them spells them
/// in full, along with everything it takes from Swift and the runtime (`Swift.String`,
/// `APIRuntime.SchemaRule`). So a spec name can only meet another spec name of its own
/// namespace, or a name the generated code qualifies by. Both are settled here, in one pass
/// over the document, the same way every time:
/// - a name Swift reads specially (`Type`, `Self`, `Protocol`, `Any`, …) or one the generated
///   code qualifies by (`Swift`, `Components`, …) gets a leading `_` (`_Type`, `_Swift`);
/// - a later name that meets an earlier one gets `_2`, `_3`, … after it (`MyType_2`).
///
/// `SwiftNames.type` writes `_` only in front of a digit, so neither spelling can be a
/// spec name's own: no search, no list of names a spec may not use.
struct GeneratedNames {
    /// The names the generated code qualifies others by (`Swift.String`,
    /// `APIRuntime.HTTPResponse`, `Components.Schemas.Pet`); a spec name declared where such a
    /// spelling is read must not be one of them.
    static let qualifiers: Set<String> = ["Swift", "APIRuntime", "Components", "Operations"]
    /// Keywords and `Any`. Some are misread even in backticks (`` X.`Type` `` is still a
    /// metatype), so a type name never relies on backticks.
    static let specialTypeNames: Set<String> = SwiftNames.keywords.union(["Any"])

    private var schemaTypes: [String: String] = [:]
    private var operationTypes: [String: String] = [:]
    private var operationMembers: [String: String] = [:]
    private var responseTypes: [String: String] = [:]

    init(_ document: APIDocument) {
        schemaTypes = Self.unique(document.schemas.map(\.name), spelling: Self.typeName)
        responseTypes = Self.unique(document.sharedResponses.map(\.name), spelling: Self.typeName)
        operationTypes = Self.unique(document.operations.map(\.id), spelling: Self.typeName)
        operationMembers = Self.unique(document.operations.map(\.id), spelling: SwiftNames.member)
    }

    /// A schema's type as the generated code writes it: `Components.Schemas.User`.
    func schema(_ name: String) -> String {
        "Components.Schemas." + schemaType(name)
    }

    /// A schema's type name in `Components.Schemas`.
    func schemaType(_ name: String) -> String {
        schemaTypes[name] ?? Self.typeName(name)
    }

    /// A shared response's namespace as the generated code writes it: `Components.Responses.RateLimited`.
    func response(_ name: String) -> String {
        "Components.Responses." + responseType(name)
    }

    /// A shared response's namespace name in `Components.Responses`.
    func responseType(_ name: String) -> String {
        responseTypes[name] ?? Self.typeName(name)
    }

    /// An operation's namespace as the generated code writes it: `Operations.CreateUser`.
    func operation(_ id: String) -> String {
        "Operations." + operationType(id)
    }

    /// An operation's namespace name in `Operations`.
    func operationType(_ id: String) -> String {
        operationTypes[id] ?? Self.typeName(id)
    }

    /// An operation's method name (in `APIHandler`, the router and `OperationID`).
    func operationMember(_ id: String) -> String {
        operationMembers[id] ?? SwiftNames.member(id)
    }

    /// `SwiftNames.type`, with `_` before a name the generated code or Swift would misread.
    static func typeName(_ name: String) -> String {
        let base = SwiftNames.words(name).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if base.first?.isNumber != false { return "_" + base }
        return specialTypeNames.contains(base) || qualifiers.contains(base) ? "_" + base : base
    }

    /// Each name's spelling, the later of two equal spellings numbered from 2; linear in the
    /// number of names. Backticks do not count: `` `default` `` and `default` are one name.
    static func unique(_ names: [String], spelling: (String) -> String) -> [String: String] {
        var result: [String: String] = [:]
        var numbering = Numbering()
        for name in names where result[name] == nil {
            result[name] = numbering.next(spelling(name))
        }
        return result
    }

    /// Spellings made distinct one at a time, in the order they come: one equal to an earlier
    /// one (as `identity` compares them) gets `_2`, `_3`, … after it. For names that are not
    /// keys of their own (the variants of a union), or that the generated code spells again
    /// in other forms (a media type's case is also `bodyJson`, which drops the `_`).
    struct Numbering {
        /// What makes two spellings one name; backticks never count.
        private let identity: (String) -> String
        private var taken: Set<String> = []
        private var nextSuffix: [String: Int] = [:]

        init(identity: @escaping (String) -> String = { $0 }) {
            self.identity = { identity($0.filter { $0 != "`" }) }
        }

        /// `base`, or `base_N` with the first number that no earlier spelling has.
        mutating func next(_ base: String) -> String {
            var candidate = base
            while !taken.insert(identity(candidate)).inserted {
                // Numbering goes on from the last number of `base`, so each step is new.
                let suffix = nextSuffix[base, default: 2]
                nextSuffix[base] = suffix + 1
                candidate = base.filter { $0 != "`" } + "_\(suffix)"
            }
            return candidate
        }
    }
}
