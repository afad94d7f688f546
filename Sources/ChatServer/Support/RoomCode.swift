import APIRuntime
import ChatAPI

/// Generated lobby codes: short, lowercase letters and digits, unique among existing lobbies, and
/// always codes a client could have chosen itself.
enum RoomCode {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// A code of 4 to 8 characters that `isAllowed` accepts and `isTaken` rejects not; longer
    /// codes are tried only when shorter ones keep colliding.
    static func generate<R: RandomNumberGenerator>(using generator: inout R, isTaken: (String) -> Bool) -> String {
        for length in 4...8 {
            for _ in 0..<32 {
                let code = draw(length: length, using: &generator)
                if isAllowed(code) && !isTaken(code) { return code }
            }
        }
        // 36^8 codes: reaching here means billions of lobbies; keep drawing 8-character codes.
        while true {
            let code = draw(length: 8, using: &generator)
            if isAllowed(code) && !isTaken(code) { return code }
        }
    }

    static func generate(isTaken: (String) -> Bool) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator, isTaken: isTaken)
    }

    /// `length` random characters of `alphabet`.
    static func draw<R: RandomNumberGenerator>(length: Int, using generator: inout R) -> String {
        String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Whether `POST /chat` would accept `code` as a `room`: the spec's pattern refuses the static
    /// segments next to `{room}` (`ping`, `user`, `users`: `GET /chat/users` wins over
    /// `GET /chat/{room}`), and a lobby under such a code could never be read.
    static func isAllowed(_ code: String) -> Bool {
        var validator = SchemaValidator()
        validator.check(.object(["room": .string(code)]), against: Components.Schemas.CreateLobbyRequest.schemaRule, at: "body")
        return validator.errors.isEmpty
    }
}
