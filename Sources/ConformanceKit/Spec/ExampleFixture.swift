/// What an example exchange needs beyond the example itself: the setup its description states,
/// and how its documented body is compared.
struct ExampleFixture: Sendable, Equatable {
    /// How a documented body is compared with the one received.
    enum Match: String, Sendable, Equatable {
        /// The whole body, every key and item (illustrative values by schema only).
        case complete
        /// A list of server-wide state (all users, all lobbies): the documented items must appear
        /// in this order, among whatever else other tests have created on the shared server.
        case subsequence
        /// A text body that must start with the documented text.
        case prefix
    }

    var setup: [SetupAction] = []
    var match = Match.complete
    /// Built-in variables the example needs (`authentication`); skipped without them.
    var requires: [String] = []
    /// Which credential goes with the request (default: the acting user's token).
    var credential = CredentialChoice()
}
