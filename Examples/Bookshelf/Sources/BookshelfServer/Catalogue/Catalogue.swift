import BookshelfAPI
import Synchronization

/// The books the server knows, kept in memory; the reference book is always there.
final class Catalogue: Sendable {
    /// The book every fresh catalogue holds, which is never removed.
    static let reference = Book(
        isbn: "9780000000001", title: "The Reference", authors: ["Reference Writer"], tags: [], ratings: [])

    private let books = Mutex<[String: Book]>([Catalogue.reference.isbn: Catalogue.reference])

    /// Stores `book`, replacing any with its ISBN.
    func store(_ book: Book) {
        books.withLock { $0[book.isbn] = book }
    }

    /// The book with `isbn`, if any.
    func book(_ isbn: String) -> Book? {
        books.withLock { $0[isbn] }
    }

    /// Every book, by ISBN.
    func all() -> [Book] {
        books.withLock { Array($0.values) }.sorted { $0.isbn < $1.isbn }
    }

    /// What `remove` did.
    enum Removal: Sendable {
        case removed, kept, absent
    }

    /// Removes the book with `isbn`; the reference book is kept.
    func remove(_ isbn: String) -> Removal {
        guard isbn != Self.reference.isbn else { return .kept }
        return books.withLock { $0.removeValue(forKey: isbn) != nil } ? .removed : .absent
    }

    /// Adds `rating` to the book with `isbn`; its number of ratings, nil when there is no such book.
    func rate(_ isbn: String, _ rating: Int) -> Int? {
        books.withLock { books in
            guard var book = books[isbn] else { return nil }
            book.ratings.append(rating)
            books[isbn] = book
            return book.ratings.count
        }
    }
}
