#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Message ids: random (version 4) UUIDs in lowercase, as `UUID().uuidString.lowercased()` made
/// them, from the kernel's CSPRNG without opening a file per id. Foundation's `UUID()` opens,
/// reads and closes `/dev/urandom` each time (3% of a post); this keeps it open, reads 4 KiB at
/// once and hands out 16 bytes per id, so one system call serves 256 ids.
enum MessageID {
    private static let pool = Mutex(RandomPool())

    /// A new id, e.g. `"3f2a8c1e-9b4d-4e7f-a1c2-5d6e7f8091a2"`.
    static func make() -> String {
        var bytes = pool.withLock { $0.next16() }
        return format(&bytes)
    }

    /// `bytes` as a version-4, variant-1 UUID in lowercase hex with its four dashes.
    static func format(_ bytes: inout (UInt64, UInt64)) -> String {
        // Version 4 in the high nibble of byte 6, variant 0b10 in the high bits of byte 8.
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = raw[6] & 0x0F | 0x40
            raw[8] = raw[8] & 0x3F | 0x80
        }
        return withUnsafeBytes(of: bytes) { raw in
            String(unsafeUninitializedCapacity: 36) { text in
                let digits: StaticString = "0123456789abcdef"
                var out = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[out] = UInt8(ascii: "-")
                        out += 1
                    }
                    let byte = raw[index]
                    text[out] = digits.utf8Start[Int(byte >> 4)]
                    text[out + 1] = digits.utf8Start[Int(byte & 0x0F)]
                    out += 2
                }
                return out
            }
        }
    }

    /// Random bytes drawn from the kernel a page at a time; each used once.
    private struct RandomPool: ~Copyable {
        private var words = [UInt64](repeating: 0, count: 512)
        private var used = 512

        mutating func next16() -> (UInt64, UInt64) {
            if used + 2 > words.count { refill() }
            defer { used += 2 }
            return (words[used], words[used + 1])
        }

        /// `/dev/urandom`, opened once for the process (-1 if it could not be).
        private var random: Int32 = -2

        private mutating func refill() {
            if random == -2 { random = open("/dev/urandom", O_RDONLY | O_CLOEXEC) }
            let random = random
            words.withUnsafeMutableBytes { buffer in
                var filled = 0
                while filled < buffer.count {
                    let count = random >= 0 ? read(random, buffer.baseAddress! + filled, buffer.count - filled) : -1
                    if count > 0 {
                        filled += count
                    } else if count < 0 && errno == EINTR {
                        continue
                    } else {
                        // No /dev/urandom: the stdlib's generator, a word at a time.
                        var generator = SystemRandomNumberGenerator()
                        while filled + 8 <= buffer.count {
                            buffer.storeBytes(of: generator.next() as UInt64, toByteOffset: filled, as: UInt64.self)
                            filled += 8
                        }
                    }
                }
            }
            used = 0
        }
    }
}
