/// Generated lobby codes: short, lowercase letters and digits, unique among existing lobbies.
enum RoomCode {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// A code of 4 to 8 characters that `isTaken` rejects not; longer codes are tried only when
    /// shorter ones keep colliding.
    static func generate<R: RandomNumberGenerator>(using generator: inout R, isTaken: (String) -> Bool) -> String {
        for length in 4...8 {
            for _ in 0..<32 {
                let code = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
                if !isTaken(code) { return code }
            }
        }
        // 36^8 codes: reaching here means billions of lobbies; keep drawing 8-character codes.
        while true {
            let code = String((0..<8).map { _ in alphabet.randomElement(using: &generator)! })
            if !isTaken(code) { return code }
        }
    }

    static func generate(isTaken: (String) -> Bool) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator, isTaken: isTaken)
    }
}
