/// One page of a list: its items, and the cursor of the next page when more follow. A cursor is
/// a decimal number, opaque to clients (each store reads only its own): the key of the last
/// item shown (the memory store's creation or join number, PostgreSQL's `position`), so items
/// removed between two pages (a sweep, a deletion, a leave) make the next page skip nothing.
struct Page<Item: Sendable>: Sendable {
    var items: [Item]
    var next: String?

    /// The page of `all` (in ascending `key` order, keys from 1) after `cursor`: at most `limit`
    /// elements, each made an item by `item` (nil: left out). A binary search, O(log n + limit).
    static func slice<Element>(
        _ all: [Element], limit: Int, after cursor: String?, key: (Element) -> Int, _ item: (Element) -> Item?
    ) -> Page {
        let start = all.count - all.countAfter(PageCursor.position(cursor), seq: key)
        let end = min(all.count, start + limit)
        let shown = all[start..<end]
        return Page(items: shown.compactMap(item), next: end < all.count ? shown.last.map { String(key($0)) } : nil)
    }
}

/// Where a page starts, whatever it lists.
enum PageCursor {
    /// The key `cursor` names: 0 (the first page) for none, or for one that is no number.
    static func position(_ cursor: String?) -> Int {
        cursor.flatMap { Int($0) }.map { max(0, $0) } ?? 0
    }
}
