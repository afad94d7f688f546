/// What values cost the heap, as glibc's malloc hands it out, so the memory budget counts what
/// the server really holds rather than the content alone: each allocation has an 8-byte
/// header and is rounded up to 16 bytes (32 at least); a `String` over 15 UTF-8 bytes lives
/// in an object of its own (a 32-byte header, the bytes and a NUL); an array's buffer has a
/// 32-byte header. `RetainedCostTests` holds these to glibc's own count (`mallinfo2`).
enum HeapCost {
    /// One allocation of `bytes`.
    static func allocation(_ bytes: Int) -> Int {
        max(32, (bytes + 8 + 15) & ~15)
    }

    /// The heap storage of `text`: none when it fits in the value itself.
    static func string(_ text: String) -> Int {
        let count = text.utf8.count
        return count <= 15 ? 0 : allocation(32 + count + 1)
    }

    /// The buffer of an array of `count` elements of `stride` bytes.
    static func array(count: Int, stride: Int) -> Int {
        allocation(32 + count * stride)
    }
}
