/// The spec as RouteGen understands it: operations in document order and named schemas.
public struct APIDocument: Sendable {
    public var title: String
    public var version: String
    public var description: String?
    public var operations: [Operation]
    /// `components.schemas`, in document order.
    public var schemas: [(name: String, schema: Schema)]
    /// The `x-conformance` extension, kept as data for the conformance suite.
    public var conformance: YAMLNode?
    /// The spec's text as read.
    public var sourceText: String
    /// What the spec holds that RouteGen leaves out (`webhooks`, `callbacks`, …), at its spot.
    public var warnings: [Diagnostic] = []

    /// The named schema, if it exists.
    public func schema(named name: String) -> Schema? {
        schemas.first { $0.name == name }?.schema
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
    /// Named example values (`examples`, or `example` under the name `default`).
    public var examples: [(name: String, value: JSON)]
    public var location: SourceLocation
}

/// A JSON request body.
public struct RequestBody: Sendable {
    public var isRequired: Bool
    public var mediaType: String
    public var schema: Schema
    public var description: String?
    public var examples: [(name: String, value: JSON)]
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
    }

    public var status: Int
    public var description: String
    public var content: Content?
    public var examples: [(name: String, value: JSON)]
    public var location: SourceLocation

    /// The media type, if the response has a body.
    public var mediaType: String? {
        switch content {
        case .json(let mediaType, _), .text(let mediaType): mediaType
        case .eventStream: "text/event-stream"
        case nil: nil
        }
    }
}
