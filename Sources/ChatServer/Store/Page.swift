/// One page of a list: its items, and the cursor of the next page when more follow. A cursor is
/// a decimal position, opaque to clients (each store reads only its own).
struct Page<Item: Sendable>: Sendable {
    var items: [Item]
    var next: String?

    /// The page of `all` (in order) from `cursor`, at most `limit` items; its cursors are indices.
    static func slice(_ all: [Item], limit: Int, after cursor: String?) -> Page {
        let start = min(all.count, PageCursor.position(cursor))
        let end = min(all.count, start + limit)
        return Page(items: Array(all[start..<end]), next: end < all.count ? String(end) : nil)
    }
}

/// Where a page starts, whatever it lists.
enum PageCursor {
    /// The position `cursor` names: 0 (the first page) for none, or for one that is no number.
    static func position(_ cursor: String?) -> Int {
        cursor.flatMap { Int($0) }.map { max(0, $0) } ?? 0
    }
}
