/// The reasons some warnings give, as cases: the part of a message that says why RouteGen reads
/// a construct less precisely, written here beside the messages (`Diagnostic+Kinds.swift`) that
/// carry them.
extension Diagnostic {
    /// What a parameter's (or a text body's) schema is instead of one primitive (`compositeParameter`).
    indirect enum SchemaShape: Sendable, Hashable, CustomStringConvertible {
        case object
        case composition(String)
        case withoutType
        case arrayOf(SchemaShape)

        var description: String {
            switch self {
            case .object: "an object"
            case .composition(let keyword): "an '\(keyword)'"
            case .withoutType: "without a 'type'"
            case .arrayOf(let items): "an array of items \(items)"
            }
        }
    }

    /// What keeps a form or multipart body's schema from being fields (`fieldsNotParsed`).
    enum FieldsMismatch: Sendable, Hashable, CustomStringConvertible {
        case notAnObject
        /// A form field: a primitive or an array of primitives.
        case notAFormField(String)
        /// A multipart field: a primitive or a file.
        case notAPartField(String)

        var description: String {
            switch self {
            case .notAnObject: "schema is not an object"
            case .notAFormField(let name): "property '\(name)' is not a primitive or an array of primitives"
            case .notAPartField(let name): "property '\(name)' is not a string, number, integer, boolean or file ('format: binary')"
            }
        }
    }

    /// What keeps an `application/problem+json` schema from the runtime's `ProblemDetails` (`problemSchemaMismatch`).
    enum ProblemMismatch: Sendable, Hashable, CustomStringConvertible {
        case notAnObject
        case missing(String)
        case notOfItsType(String, isString: Bool)
        case requiresOther(String)
        case errorsNotAnArray

        var description: String {
            switch self {
            case .notAnObject: "is not an object"
            case .missing(let field): "has no '\(field)' property"
            case .notOfItsType(let field, let isString): "has a '\(field)' that is not \(isString ? "a string" : "an integer")"
            case .requiresOther(let field): "requires '\(field)', which problems do not carry"
            case .errorsNotAnArray: "has an 'errors' that is not an array"
            }
        }
    }

    /// Why a discriminated `oneOf` is read as one without (`discriminatorNotUsed`).
    enum UnusedDiscriminator: Sendable, Hashable, CustomStringConvertible {
        case notAComponent
        case variantNotAReference
        case variantWithoutTag(String, property: String)
        case mappingDisagrees(variant: String, mapped: String, property: String, tag: String)
        case sharedTag(String)

        var description: String {
            switch self {
            case .notAComponent: "it is not a named schema in components.schemas"
            case .variantNotAReference: "a variant is not a $ref"
            case .variantWithoutTag(let variant, let property): "variant '\(variant)' does not require '\(property)' with one 'const' value"
            case .mappingDisagrees(let variant, let mapped, let property, let tag):
                "the mapping names '\(variant)' '\(mapped)', but its '\(property)' is '\(tag)'"
            case .sharedTag(let tag): "two variants share the value '\(tag)'"
            }
        }
    }
}
