/// The credential of an operation with `security`: one case per scheme it takes, and
/// `anonymous` for a request without one (allowed by `{}`, or by a router that does not require
/// credentials).
extension OperationsRenderer {
    /// The case for the scheme named `name` (nil: `anonymous`).
    static func credentialCase(_ name: String?) -> String {
        name.map(SwiftNames.member) ?? "anonymous"
    }

    /// The Swift type a scheme's credential is.
    static func credentialType(_ scheme: SecurityScheme) -> String {
        if case .basic = scheme.kind { "APIRuntime.BasicCredential" } else { "Swift.String" }
    }

    /// `enum Credential`, or nothing for an operation without `security`.
    static func credential(_ operation: Operation, schemes: [SecurityScheme]) -> SwiftCode {
        guard !operation.security.isEmpty else { return .group([]) }
        let cases: [SwiftCode] = operation.security.compactMap { name in
            guard let name, let scheme = schemes.first(where: { $0.name == name }) else { return nil }
            return .group([.doc("`\(name)`"), .line("case \(credentialCase(name))(\(credentialType(scheme)))")])
        }
        let anonymous = SwiftCode.group([
            .doc(
                operation.security.contains(where: { $0 == nil })
                    ? "No credential came (the operation allows that)."
                    : "No credential came, and the router does not require one (`RouterOptions.requiresCredentials` is false)."),
            .line("case anonymous"),
        ])
        return .group([
            .doc("The credential `\(operation.id)` came with: one of the schemes its `security` names."),
            .block("public enum Credential: Swift.Sendable, Swift.Hashable", cases + [anonymous]),
            .blank,
        ])
    }
}
