/// Which credential the suite sends with a request to an operation that has `security`, as a
/// fixture or a request step writes it (`credential:`, `scheme:`). docs/conformance.md.
struct CredentialChoice: Sendable, Equatable {
    /// Whose token goes with the request.
    enum Who: Sendable, Equatable {
        /// The acting user's: the first user of the unit whose id appears in the request.
        case actingUser
        /// No credential at all.
        case none
        /// A token of the server's form that it never issued (the acting user's id, a made-up secret).
        case invalid
        /// The token of the user setup or a capture bound to this label.
        case user(String)
    }

    var who = Who.actingUser
    /// The security scheme to send it by; nil: the first the operation takes.
    var scheme: String?

    /// Reads `credential:`'s text.
    init(credential: String?, scheme: String?) {
        switch credential {
        case nil: who = .actingUser
        case "none": who = .none
        case "invalid": who = .invalid
        case let name?: who = .user(name)
        }
        self.scheme = scheme
    }

    init() {}
}
