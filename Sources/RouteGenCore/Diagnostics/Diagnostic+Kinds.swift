/// Every diagnostic RouteGen writes about a spec, as a named case carrying what its message
/// needs, with the text written here and nowhere else (swift-openapi-generator's
/// `Diagnostics.swift` names its diagnostics the same way). Call sites say what they found
/// (`diagnostics.refuse(.missingInfo, at: …)`); how it reads is decided in this file.
extension Diagnostic {
    /// Why a spec is refused: it is not valid OpenAPI, or not a document code can be made of.
    enum Refusal: Sendable, Hashable {
        // MARK: The file and the document
        case unreadableFile
        case unsupportedVersion(String)
        case missingVersion, missingInfo, missingPaths

        // MARK: Node shapes (`what` names the node: "info", "response 200", …)
        case notMapping(String, found: String)
        case notString(String, found: String)
        case notSequence(String, found: String)
        case notInteger(String), notNumber(String), notBool(String)
        case unknownKeyword(String, in: String)

        // MARK: References
        case referenceNotToComponent(String, expected: String)
        case referenceToMissingComponent(String, kind: String, name: String)
        case referenceToNothing(String)
        case referenceReachesItself(String)
        case componentReferenceCycle(String)

        // MARK: Paths and operations
        case pathWithoutSlash(String)
        case templateParameterTwice(String, path: String)
        case parameterNotWholeSegment(String, path: String)
        case undeclaredPathParameter(String, path: String, operationID: String)
        case pathParameterNotInPath(String, path: String)
        case operationIDWithoutLetters(String)
        case derivedOperationIDTaken(String, by: OperationSite)
        case duplicateOperationID(String, by: OperationSite)

        // MARK: Parameters
        case duplicateParameter(String, place: Parameter.Place)
        case parameterWithoutName
        case parameterWithoutPlace(String)
        case unknownParameterPlace(String, place: String)
        case pathParameterNotRequired(String)
        case objectParameter

        // MARK: Responses and content
        case badStatusCode(String)
        case responseWithoutDescription(String)
        case responseTwice(StatusPattern)
        case noResponsesDocumented(String)
        case noResponses(String)
        case noContent(String)

        // MARK: Schemas
        case unknownType(String)
        case discriminatorWithoutPropertyName
        case variantWithoutTag(String, property: String)
        case mappingDisagrees(mapped: String, variant: String, property: String, tag: String)
        case sharedDiscriminatorValue(String)

        // MARK: Security
        case schemeWithoutType(String)
        case incompleteAPIKeyScheme(String)
        case unknownSchemeType(String)
        case requirementWithoutScheme(String)

        var message: String {
            switch self {
            case .unreadableFile: "cannot read the file (missing, or not UTF-8)"
            case .unsupportedVersion(let version): "openapi '\(version)' is not supported; RouteGen reads OpenAPI 3.0, 3.1 and 3.2"
            case .missingVersion: "missing 'openapi: 3.2.0'"
            case .missingInfo: "missing 'info'"
            case .missingPaths: "missing 'paths'"

            case .notMapping(let what, let found): "\(what) must be a mapping, found \(found)"
            case .notString(let what, let found): "\(what) must be a string, found \(found)"
            case .notSequence(let what, let found): "\(what) must be a sequence, found \(found)"
            case .notInteger(let what): "\(what) must be an integer"
            case .notNumber(let what): "\(what) must be a number"
            case .notBool(let what): "\(what) must be true or false"
            case .unknownKeyword(let key, let what): "unknown keyword '\(key)' in \(what)"

            case .referenceNotToComponent(let reference, let prefix): "unresolved $ref '\(reference)': expected '\(prefix)<name>' here"
            case .referenceToMissingComponent(let reference, let kind, let name): "unresolved $ref '\(reference)': no \(kind) named '\(name)'"
            case .referenceToNothing(let reference): "unresolved $ref '\(reference)': it points at nothing in the document"
            case .referenceReachesItself(let reference): "$ref '\(reference)' reaches itself through other references"
            case .componentReferenceCycle(let name): "$ref '\(name)' refers to itself through other components"

            case .pathWithoutSlash(let path): "path '\(path)' must start with '/'"
            case .templateParameterTwice(let name, let path): "path parameter '{\(name)}' appears twice in '\(path)'"
            case .parameterNotWholeSegment(let segment, let path): "path segment '\(segment)' in '\(path)': a parameter must be a whole segment"
            case .undeclaredPathParameter(let name, let path, let operationID):
                "path parameter '{\(name)}' of '\(path)' is not declared by operation '\(operationID)'"
            case .pathParameterNotInPath(let name, let path): "path parameter '\(name)' is declared but '\(path)' has no '{\(name)}'"
            case .operationIDWithoutLetters(let id): "operationId '\(id)' has no letter or digit to make a Swift name of"
            case .derivedOperationIDTaken(let id, let first):
                "this operation has no operationId, and '\(id)', derived from its method and path, is the operationId of \(first); give it one"
            case .duplicateOperationID(let id, let first): "duplicate operationId '\(id)' (also used by \(first))"

            case .duplicateParameter(let name, let place): "duplicate \(place) parameter '\(name)'"
            case .parameterWithoutName: "parameter has no 'name'"
            case .parameterWithoutPlace(let name): "parameter '\(name)' has no 'in'"
            case .unknownParameterPlace(let name, let place):
                "parameter '\(name)': 'in: \(place)' is not a parameter location (path, query, header, cookie)"
            case .pathParameterNotRequired(let name): "path parameter '\(name)' must have 'required: true'"
            case .objectParameter: "a parameter schema must be a primitive type, not an object"

            case .badStatusCode(let key):
                "bad status code '\(key)': expected a code from 100 to 599, a range from '1XX' to '5XX', or 'default'"
            case .responseWithoutDescription(let status): "response \(status) has no description"
            case .responseTwice(let pattern): "response '\(pattern)' is documented twice"
            case .noResponsesDocumented(let what): "\(what) documents no responses"
            case .noResponses(let what): "\(what) has no responses"
            case .noContent(let what): "\(what) has no content"

            case .unknownType(let type): "unknown type '\(type)' (object, array, string, integer, number, boolean, null)"
            case .discriminatorWithoutPropertyName: "discriminator has no 'propertyName'"
            case .variantWithoutTag(let variant, let property):
                "oneOf variant '\(variant)' must be an object with a required string property '\(property)' that has one 'const' value"
            case .mappingDisagrees(let mapped, let variant, let property, let tag):
                "discriminator mapping says '\(mapped)' for '\(variant)' but its '\(property)' is '\(tag)'"
            case .sharedDiscriminatorValue(let tag): "two oneOf variants share the discriminator value '\(tag)'"

            case .schemeWithoutType(let name): "security scheme '\(name)' has no 'type'"
            case .incompleteAPIKeyScheme(let name): "apiKey scheme '\(name)' needs 'in' (header, query or cookie) and 'name'"
            case .unknownSchemeType(let type): "'\(type)' is not a security scheme type (apiKey, http, mutualTLS, oauth2, openIdConnect)"
            case .requirementWithoutScheme(let name): "security requirement '\(name)' names no security scheme"
            }
        }
    }

    /// What a valid spec loses in the generated code: read less precisely, or not at all.
    enum Warning: Sendable, Hashable {
        // MARK: The document and its keys
        case noPaths
        case ignoredKey(String)
        case unreadKeyword(String, in: String, lost: String)
        case unknownSchemaKeyword(String, in: String)
        case methodNotGenerated(String)
        case pathItemReferenceNotFollowed
        case exampleWithoutValue(String)
        case parameterShadowed(String, path: String, word: String, by: String)

        // MARK: References
        case externalReference(String)
        case pointerReachesItself(String)

        // MARK: Parameters and headers
        case parameterPlaceNotGenerated(String, place: String)
        case parameterByContent(String)
        case parameterWithoutSchema(String)
        case defaultOfRequired(String)
        case defaultNotOfType(String)
        case styleNotGenerated(String, style: String, defaultStyle: String, place: Parameter.Place)
        case arrayInPlace(String, place: Parameter.Place)
        case arrayOfArrays(String)
        case compositeParameter(SchemaShape)
        case contentTypeHeader
        case headerWithoutSchema(String, of: String)
        case arrayHeader(String)
        case headerRepeated(String, of: String, earlier: String)

        // MARK: Bodies and responses
        case requestBodyAsBytes(String)
        case bodyReadAsBytes(String)
        case textBodyComposite(String, schema: SchemaShape)
        case textBodyNotString(String)
        case fieldsNotParsed(String, problem: FieldsMismatch)
        case eventStreamAmongSeveral
        case eventStreamWithoutItemSchema
        case itemSchemaOutsideEventStream(String)
        case textResponseNotString(String)
        case multipartResponse
        case responseAsBytes(String)
        case itemSchemaNotObject
        case itemSchemaNotSSEField(String)
        case itemSchemaWithoutData
        case itemSchemaDataUntyped
        case emptyContent(String)
        case problemSchemaMismatch(StatusPattern, operationID: String, mismatch: ProblemMismatch)

        // MARK: Schemas
        case falseSchema
        case compositionBesideType(String)
        case nullOnlyType
        case binaryOutsideMultipart
        case fileInJSON(String)
        case selfContainingValue(String)
        case severalTypes([String])
        case nullableOf30
        case requiredOnMap
        case requiredNotAProperty(String)
        case additionalPropertiesBesideProperties
        case patternNotRunnable(String)
        case allOfNotObjects
        case allOfPropertyConflict(String)
        case requiredInNoAllOfMember(String)
        case discriminatorNotUsed(UnusedDiscriminator)

        // MARK: Security
        case httpSchemeNotGenerated(String, name: String)
        case readAsBearer(String, name: String)
        case mutualTLSNotChecked(String)
        case severalSchemesAtOnce(checked: String)
        case scopesNotChecked(String)

        /// Keys RouteGen knows but does not read anywhere they stand (`ignoredKey`).
        static let ignoredKeys: Set<String> = ["webhooks", "callbacks", "links", "xml"]

        /// How each case reads, after `(JSONValue)` or `([UInt8])` where the code falls back to one.
        var message: String {
            let untyped = "is answered as raw bytes ([UInt8]): its events are not typed"
            let anyValue = "here it is a JSON value (JSONValue), not checked"
            return switch self {
            case .noPaths: "the document has no 'paths': nothing is served; its schemas are generated"
            case .ignoredKey(let key): "'\(key)' is ignored: \(Self.whyIgnored(key))"
            case .unreadKeyword(let key, let what, let lost): "'\(key)' in \(what) is not generated: \(lost)"
            case .unknownSchemaKeyword(let key, let what): "unknown keyword '\(key)' in \(what) is ignored"
            case .methodNotGenerated(let method):
                "'\(method)' operations are not generated: the router answers HEAD wherever GET is, and OPTIONS for CORS"
            case .pathItemReferenceNotFollowed: "a path item '$ref' is not followed: its operations are not generated"
            case .exampleWithoutValue(let name): "example '\(name)' has no 'value' or 'dataValue': it is not used"
            case .parameterShadowed(let name, let path, let word, let other):
                "path parameter '\(name)' of '\(path)' never receives '\(word)': '\(other)' takes that path; give the parameter a pattern that refuses it"

            case .externalReference(let reference): "$ref '\(reference)' is to another document, which RouteGen does not fetch: \(anyValue)"
            case .pointerReachesItself(let reference): "$ref '\(reference)' reaches itself: \(anyValue)"

            case .parameterPlaceNotGenerated(let name, let place): "parameter '\(name)' in \(place) is not generated: the handler does not receive it"
            case .parameterByContent(let name): "parameter '\(name)' is described by 'content': it is read as a string, not parsed or checked"
            case .parameterWithoutSchema(let name): "parameter '\(name)' has no schema: it is read as a string"
            case .defaultOfRequired(let name): "parameter '\(name)' is required, so its default never applies"
            case .defaultNotOfType(let name): "the default of parameter '\(name)' is not a value of its type: it is not applied"
            case .styleNotGenerated(let name, let style, let defaultStyle, let place):
                "parameter '\(name)': 'style: \(style)' is not generated; it is read as 'style: \(defaultStyle)', the default of a \(place) parameter"
            case .arrayInPlace(let name, let place): "parameter '\(name)': an array in the \(place) is read as one string, its items not split or checked"
            case .arrayOfArrays(let name):
                "parameter '\(name)': an array of arrays is read as an array of strings, the inner items not split or checked"
            case .compositeParameter(let what): "a parameter or header schema that is \(what) is read as a string: the value is not parsed or checked"
            case .contentTypeHeader: "header 'Content-Type' is ignored: the media type of the content sets it"
            case .headerWithoutSchema(let name, let what): "header '\(name)' of \(what) has no schema: it is not generated"
            case .arrayHeader(let name): "header '\(name)' is an array: it is not generated, the handler cannot set it"
            case .headerRepeated(let name, let what, let earlier):
                "header '\(name)' of \(what) is '\(earlier)' again (header names ignore case): set, it replaces the earlier one's value"

            case .requestBodyAsBytes(let mediaType): "a request body of '\(mediaType)' is read as raw bytes: its items are not typed"
            case .bodyReadAsBytes(let mediaType): "a '\(mediaType)' body is read as raw bytes ([UInt8]): its schema is not checked"
            case .textBodyComposite(let mediaType, let what): "a '\(mediaType)' body whose schema is \(what) is read as text: it is not checked"
            case .textBodyNotString(let mediaType): "a '\(mediaType)' body of a schema that is not a string is read as text: it is not checked"
            case .fieldsNotParsed(let mediaType, let problem):
                "a '\(mediaType)' body whose \(problem) is read as raw bytes ([UInt8]): its fields are not parsed or checked"
            case .eventStreamAmongSeveral: "'text/event-stream' among several media types \(untyped)"
            case .eventStreamWithoutItemSchema: "a text/event-stream response without 'itemSchema' \(untyped)"
            case .itemSchemaOutsideEventStream(let mediaType):
                "'itemSchema' is read only for text/event-stream: this '\(mediaType)' response is answered as raw bytes ([UInt8]), its items not typed"
            case .textResponseNotString(let mediaType): "a '\(mediaType)' body whose schema is not a string is answered as text: it is not checked"
            case .multipartResponse: "a multipart/form-data response is answered as raw bytes ([UInt8]): its parts are not typed"
            case .responseAsBytes(let mediaType): "a '\(mediaType)' body is answered as raw bytes ([UInt8]): its schema is not checked"
            case .itemSchemaNotObject: "an itemSchema that is not an object with a 'data' property \(untyped)"
            case .itemSchemaNotSSEField(let name): "itemSchema property '\(name)' is not an SSE field (data, id, event, retry): it is not written"
            case .itemSchemaWithoutData: "an itemSchema without a 'data' property \(untyped)"
            case .itemSchemaDataUntyped:
                "an itemSchema whose 'data' is not a string with contentMediaType application/json and a contentSchema $ref \(untyped)"
            case .emptyContent(let what): "\(what) has an empty 'content': it is generated without a body"
            case .problemSchemaMismatch(let pattern, let operationID, let mismatch):
                "response \(pattern) of '\(operationID)' is application/problem+json, but its schema \(mismatch); "
                    + "the handler answers the runtime's ProblemDetails (string 'type', 'title' and 'detail', integer 'status', optional 'errors'), so the schema's other fields are not written"

            case .falseSchema: "the schema 'false' (no value is valid) is not checked: any JSON value is accepted"
            case .compositionBesideType(let composition): "'\(composition)' beside 'type' is not checked; the value is read as its 'type'"
            case .nullOnlyType: "a schema whose only type is 'null' is generated as a JSON value (JSONValue); that it is null is not checked"
            case .binaryOutsideMultipart: "'format: binary' is a file, read only from multipart/form-data bodies; here the value is a string"
            case .fileInJSON(let what):
                "'format: binary' is a file, read only from multipart/form-data bodies; in \(what) it is typed as a file that JSON cannot carry"
            case .selfContainingValue(let name):
                "schema '\(name)' is an array or map that contains itself, which Swift cannot write in place: \(anyValue)"
            case .severalTypes(let names):
                "a schema of several types (\(names.joined(separator: ", "))) is generated as a JSON value (JSONValue): its type is not checked"
            case .nullableOf30: "'nullable' is OpenAPI 3.0; read as 'type: [T, \"null\"]', which is what 3.1 and later write"
            case .requiredOnMap: "'required' on a map (additionalProperties without properties) is not checked"
            case .requiredNotAProperty(let name): "required property '\(name)' is not among the properties: that it is present is not checked"
            case .additionalPropertiesBesideProperties:
                "additionalProperties with a schema beside 'properties' is read as 'true': the other members are not checked, and the Swift type does not keep them"
            case .patternNotRunnable(let pattern): "pattern '\(pattern)' is not a regular expression the generated code can run (ICU): it is not checked"
            case .allOfNotObjects: "an allOf whose members are not all objects is generated as a JSON value (JSONValue): it is not typed or checked"
            case .allOfPropertyConflict(let name):
                "property '\(name)' is defined differently by two allOf members: the first definition is used, the second is not checked"
            case .requiredInNoAllOfMember(let name): "required property '\(name)' is in no allOf member: that it is present is not checked"
            case .discriminatorNotUsed(let why):
                "the discriminator is not used (\(why)): the variants are tried in order, as for a oneOf without one"

            case .httpSchemeNotGenerated(let scheme, let name):
                "http scheme '\(scheme)' of '\(name)' is not generated (bearer, basic are): its credential is not checked"
            case .readAsBearer(let type, let name):
                "'\(type)' scheme '\(name)' is read as a bearer token (Authorization: Bearer): the handler gets the token and checks its scopes itself"
            case .mutualTLSNotChecked(let name): "'mutualTLS' scheme '\(name)' is not generated: the client certificate is not checked"
            case .severalSchemesAtOnce(let checked):
                "a security requirement naming several schemes at once: only '\(checked)' is checked, the others are the handler's to check"
            case .scopesNotChecked(let name): "the scopes of '\(name)' are not checked: the handler checks them"
            }
        }

        /// What leaving out each of `ignoredKeys` loses.
        private static func whyIgnored(_ key: String) -> String {
            switch key {
            case "webhooks": "webhooks are not generated"
            case "callbacks": "callbacks are not generated"
            case "links": "links are not generated"
            default: "XML is not read or written; the schema is used for JSON only"
            }
        }
    }

    /// The operation that first took an `operationId`, as a refusal of a second one names it.
    struct OperationSite: Sendable, Hashable, CustomStringConvertible {
        var method: String
        var path: String
        var line: Int

        var description: String { "\(method) \(path) at line \(line)" }
    }
}

extension Diagnostics {
    /// Records that the spec is refused, for `refusal`, at `location`.
    mutating func refuse(_ refusal: Diagnostic.Refusal, at location: SourceLocation) {
        error(refusal.message, at: location)
    }

    /// Records a warning at `location`.
    mutating func warn(_ warning: Diagnostic.Warning, at location: SourceLocation) {
        self.warning(warning.message, at: location)
    }
}

extension Diagnostic {
    /// A refusal of the spec `file` at `location`, for failures thrown before a `Diagnostics` exists.
    init(_ refusal: Refusal, file: String, at location: SourceLocation) {
        self.init(.error, file: file, at: location, refusal.message)
    }
}

extension Operation {
    /// Where this operation is, as a refusal naming it reads.
    var site: Diagnostic.OperationSite {
        Diagnostic.OperationSite(method: method, path: path, line: idLocation.line)
    }
}
