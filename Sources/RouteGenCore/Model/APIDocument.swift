/// The spec as RouteGen understands it: operations in document order and named schemas.
public struct APIDocument: Sendable {
    public var title: String
    public var version: String
    public var description: String?
    public var operations: [Operation]
    /// `components.schemas`, in document order.
    public var schemas: [(name: String, schema: Schema)] {
        didSet { schemaIndex = SpecReader.index(schemas) }
    }
    /// Where each of `schemas` is, by name, so a lookup does not grow with the document.
    var schemaIndex: [String: Int] = [:]
    /// `components.securitySchemes` RouteGen reads.
    public var securitySchemes: [SecurityScheme] = []
    /// The `x-conformance` extension, kept as data for the conformance suite.
    public var conformance: YAMLNode?
    /// The spec's text as read.
    public var sourceText: String
    /// What the spec holds that RouteGen leaves out (`webhooks`, `callbacks`, …), at its spot.
    public var warnings: [Diagnostic] = []
    /// For each schema that reaches itself through `$ref`s: the schemas of its cycle (those it
    /// reaches and that reach it, itself included). A reference within one is written with
    /// indirection in Swift and in its rule.
    public var cycles: [String: Set<String>] = [:]

    /// Whether a reference from the schema `from` to the schema `to` closes a cycle.
    public func isRecursive(from: String, to: String) -> Bool {
        cycles[from]?.contains(to) ?? false
    }

    /// The named schema, if it exists.
    public func schema(named name: String) -> Schema? {
        schemaIndex[name].map { schemas[$0].schema }
    }
}

/// One operation: a method on a path template.
public struct Operation: Sendable {
    /// The `operationId` as written, or the one derived from the method and path when there is
    /// none (`SpecReader.derivedOperationId`); Swift names come from it through `SwiftNames`.
    public var id: String
    /// Upper-case method (`GET`).
    public var method: String
    public var path: String
    public var summary: String?
    public var description: String?
    public var parameters: [Parameter]
    public var requestBody: RequestBody?
    /// Responses by ascending status.
    public var responses: [Response]
    /// The operation's method key.
    public var location: SourceLocation
    /// Its `operationId` value, or its method key when it has none.
    public var idLocation: SourceLocation
    /// Whether `id` was derived because the spec gives none.
    public var hasDerivedId: Bool
    /// Its `security` (or the document's): the schemes whose credential it takes, one of them,
    /// nil for `{}` (none needed). Empty when it needs none.
    public var security: [String?] = []

    /// The response that documents `status`: its code, else its range, else `default`.
    public func response(for status: Int) -> Response? {
        responses.first { $0.pattern.covers(status) }  // in `StatusPattern` order: most specific first
    }

    /// The parameters in one place (`path`, `query`, `header`).
    public func parameters(in place: Parameter.Place) -> [Parameter] {
        parameters.filter { $0.place == place }
    }
}

/// A path, query or header parameter.
public struct Parameter: Sendable {
    /// Where a parameter travels.
    public enum Place: String, Sendable {
        case path, query, header
    }

    public var name: String
    public var place: Place
    public var isRequired: Bool
    public var description: String?
    public var schema: Schema
    /// For an array query parameter (`style: form`): one `name=value` pair per item (true, the
    /// default) or one comma-separated value (false).
    public var explode: Bool
    /// Named example values (`examples`, or `example` under the name `default`).
    public var examples: [(name: String, value: JSON)]
    public var location: SourceLocation
}

/// How a body travels, which decides its Swift type.
public enum BodyEncoding: Sendable, Equatable {
    /// `multipart/form-data`: the schema's type (an object of primitive and `format: binary`
    /// fields, the latter as `MultipartFile`), read from the parts.
    case multipart
    /// `application/json`: the schema's type.
    case json
    /// `application/x-www-form-urlencoded`: the schema's type (an object of primitives and
    /// arrays of primitives), read from `name=value` pairs.
    case form
    /// `text/plain`: a `String`, checked against a string schema.
    case text
    /// Any other media type: the raw bytes, `[UInt8]`.
    case bytes
}

/// A request body.
public struct RequestBody: Sendable {
    /// One media type of the body's `content`.
    public struct Media: Sendable {
        public var mediaType: String
        public var encoding: BodyEncoding
        public var schema: Schema
        /// The case of the input's `Body` enum when the content has several media types.
        public var caseName: String
    }

    public var isRequired: Bool
    /// The media types in document order; the first is the one examples are sent in.
    public var media: [Media]
    public var description: String?
    public var examples: [(name: String, value: JSON)]

    /// The first media type.
    public var mediaType: String { media[0].mediaType }
    /// How the first media type travels.
    public var encoding: BodyEncoding { media[0].encoding }
    /// The first media type's schema.
    public var schema: Schema { media[0].schema }
    /// Whether the handler learns which of several media types came in (an enum case each).
    public var hasSeveralMediaTypes: Bool { media.count > 1 }
}

/// One documented response.
public struct Response: Sendable {
    /// What a response body is.
    public enum Content: Sendable {
        /// A JSON body (`application/json`, `application/problem+json`).
        case json(mediaType: String, schema: Schema)
        /// A text body (`text/plain`, `application/yaml`, `text/html`).
        case text(mediaType: String)
        /// A Server-Sent-Events stream whose `data` is JSON of `eventSchema`.
        case eventStream(eventSchema: Schema)
        /// Raw bytes of any other media type (`application/octet-stream`, `image/png`).
        case bytes(mediaType: String)
    }

    /// The status code; for a range its first code (`2XX` → 200), for `default` 0.
    public var status: Int
    /// Which statuses the response documents.
    public var pattern: StatusPattern
    public var description: String
    /// The bodies it may have, one per media type in document order: the first is the one
    /// answered when the request's `Accept` allows any.
    public var contents: [Content] = []
    /// The Swift case of each of `contents` when there are several (`json`, `plain`).
    public var caseNames: [String] = []
    /// The documented response headers, in document order.
    public var headers: [ResponseHeader] = []
    /// The `components.responses` entry the operation names for it (`$ref:
    /// '#/components/responses/RateLimited'`), nil for a response written in place.
    public var componentName: String?
    public var examples: [(name: String, value: JSON)]
    public var location: SourceLocation

    /// The (first) body, if the response has one.
    public var content: Content? { contents.first }

    /// The (first) media type, if the response has a body.
    public var mediaType: String? { content?.mediaType }

    /// Whether the answer is negotiated from the request's `Accept` (several media types).
    public var hasSeveralMediaTypes: Bool { contents.count > 1 }
}

extension Response.Content {
    /// The media type of the body.
    public var mediaType: String {
        switch self {
        case .json(let mediaType, _), .text(let mediaType), .bytes(let mediaType): mediaType
        case .eventStream: "text/event-stream"
        }
    }
}

/// The statuses one response documents: a code, a range (`4XX`) or every other (`default`).
/// Ordered as OpenAPI picks them: codes, then ranges, then `default`.
public enum StatusPattern: Sendable, Hashable, Comparable, CustomStringConvertible {
    case code(Int)
    /// `nXX`, by its leading digit.
    case range(Int)
    case `default`

    /// The key as the spec writes it: `404`, `4XX`, `default`.
    public var description: String {
        switch self {
        case .code(let code): String(code)
        case .range(let digit): "\(digit)XX"
        case .default: "default"
        }
    }

    /// The pattern a `responses` key spells, nil for any other key.
    public init?(key: String) {
        if key == "default" {
            self = .default
        } else if key.count == 3, let digit = key.first?.wholeNumberValue, (1...5).contains(digit), key.dropFirst().uppercased() == "XX" {
            self = .range(digit)
        } else if key.count == 3, key.allSatisfy(\.isASCII), let code = Int(key), (100...599).contains(code) {
            self = .code(code)
        } else {
            return nil
        }
    }

    /// Whether `status` is one of the pattern's.
    public func covers(_ status: Int) -> Bool {
        switch self {
        case .code(let code): status == code
        case .range(let digit): status / 100 == digit
        case .default: true
        }
    }

    /// The first status the pattern covers (0 for `default`).
    public var firstCode: Int {
        switch self {
        case .code(let code): code
        case .range(let digit): digit * 100
        case .default: 0
        }
    }
}

/// A header a response documents: fixed when its schema has one `const` value (the router
/// writes it), else a typed value the handler gives in its output.
public struct ResponseHeader: Sendable {
    public var name: String
    public var isRequired: Bool
    public var description: String?
    /// A primitive schema.
    public var schema: Schema
    public var location: SourceLocation

    /// The one value a `const` (or one-value `enum`) string schema allows.
    public var fixedValue: String? {
        if case .string(let rules) = schema.kind, let allowed = rules.allowed, allowed.count == 1 { allowed[0] } else { nil }
    }
}
