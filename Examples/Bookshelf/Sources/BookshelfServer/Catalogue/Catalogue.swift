import BookshelfAPI
import Synchronization

/// The books the server knows, kept in memory; the reference book is always there.
final class Catalogue: Sendable {
    /// The book every fresh catalogue holds, which is never removed.
    static let reference = Components.Schemas.Book(
        isbn: "9780000000001", title: "The Reference", subtitle: nil, authors: ["Reference Writer"], tags: [], ratings: [])

    private let books = Mutex<[String: Components.Schemas.Book]>([Catalogue.reference.isbn: Catalogue.reference])
    /// Covers and notes by ISBN, kept apart from the books the API returns.
    private let extras = Mutex<(covers: [String: [UInt8]], notes: [String: [String]])>(([:], [:]))

    /// Stores `image` as the cover of the book with `isbn`; false when there is no such book.
    func storeCover(_ image: [UInt8], for isbn: String) -> Bool {
        guard book(isbn) != nil else { return false }
        extras.withLock { $0.covers[isbn] = image }
        return true
    }

    /// The cover of the book with `isbn`, if it has one.
    func cover(_ isbn: String) -> [UInt8]? {
        extras.withLock { $0.covers[isbn] }
    }

    /// Adds `note` to the book with `isbn`; its number of notes, nil when there is no such book.
    func addNote(_ note: String, to isbn: String) -> Int? {
        guard book(isbn) != nil else { return nil }
        return extras.withLock { extras in
            extras.notes[isbn, default: []].append(note)
            return extras.notes[isbn]!.count
        }
    }

    /// Stores `book`, replacing any with its ISBN.
    func store(_ book: Components.Schemas.Book) {
        books.withLock { $0[book.isbn] = book }
    }

    /// The book with `isbn`, if any.
    func book(_ isbn: String) -> Components.Schemas.Book? {
        books.withLock { $0[isbn] }
    }

    /// Every book, by ISBN.
    func all() -> [Components.Schemas.Book] {
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
