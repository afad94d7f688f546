import APIRuntime
import BookshelfAPI
import HTTPServer

/// The Bookshelf operations over a `Catalogue`.
struct BookshelfHandler: APIHandler {
    let catalogue: Catalogue

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok("ok")
    }

    func addBook(_ input: Operations.AddBook.Input) async throws -> Operations.AddBook.Output {
        let body = input.body
        let book = Components.Schemas.Book(
            isbn: body.isbn, title: body.title, subtitle: body.subtitle, format: body.format, authors: body.authors,
            publisher: body.publisher.map { Components.Schemas.BookPublisher(name: $0.name, city: $0.city) },
            tags: (body.tags ?? []).map { Components.Schemas.BookTagsItem(label: $0.label) }, ratings: [])
        catalogue.store(book)
        return .created(book)
    }

    func listBooks(_ input: Operations.ListBooks.Input) async throws -> Operations.ListBooks.Output {
        let wanted = Set(input.query.tag ?? [])
        let matching = catalogue.all().filter { book in
            (input.query.author.map { book.authors.contains($0) } ?? true) && wanted.isSubset(of: book.tags.map(\.label))
        }
        return .ok(Components.Schemas.ListBooksResponse200(books: Array(matching.prefix(input.query.limit)), total: matching.count))
    }

    func getBook(_ input: Operations.GetBook.Input) async throws -> Operations.GetBook.Output {
        guard let book = catalogue.book(input.path.isbn) else { return .notFound(Self.noBook(input.path.isbn)) }
        return .ok(book, headers: .init(xRatingsCount: book.ratings.count))
    }

    /// The token a librarian sends (`Authorization: Bearer librarian-token`).
    static let librarianToken = "librarian-token"

    func deleteBooksIsbn(_ input: Operations.DeleteBooksIsbn.Input) async throws -> Operations.DeleteBooksIsbn.Output {
        // The router found the credential; whether it is good is ours to say.
        switch input.credential {
        case .librarian(let token) where token == Self.librarianToken: break
        default: return .forbidden(ProblemDetails(kind: "forbidden", status: HTTPStatus(code: 403), detail: "only librarians remove books"))
        }
        switch catalogue.remove(input.path.isbn) {
        case .removed: return .status2XX(status: 204)
        case .kept: return .status2XX(status: 202)
        case .absent: return .notFound(Self.noBook(input.path.isbn))
        }
    }

    func rateBook(_ input: Operations.RateBook.Input) async throws -> Operations.RateBook.Output {
        guard let count = catalogue.rate(input.path.isbn, input.body) else { return .notFound(Self.noBook(input.path.isbn)) }
        return .ok(count)
    }

    func putCover(_ input: Operations.PutCover.Input) async throws -> Operations.PutCover.Output {
        catalogue.storeCover(input.body, for: input.path.isbn) ? .noContent : .notFound(Self.noBook(input.path.isbn))
    }

    func getCover(_ input: Operations.GetCover.Input) async throws -> Operations.GetCover.Output {
        guard let image = catalogue.cover(input.path.isbn) else {
            return .notFound(ProblemDetails(kind: .notFound, status: .notFound, detail: "no cover for ISBN \(input.path.isbn)"))
        }
        return .ok(image)
    }

    func addNote(_ input: Operations.AddNote.Input) async throws -> Operations.AddNote.Output {
        guard let count = catalogue.addNote(input.body, to: input.path.isbn) else { return .notFound(Self.noBook(input.path.isbn)) }
        return .ok(count)
    }

    func search(_ input: Operations.Search.Input) async throws -> Operations.Search.Output {
        let wanted = Set(input.body.tag ?? [])
        let found = catalogue.all().filter { book in
            book.title.localizedCaseInsensitiveContains(input.body.q) && wanted.isSubset(of: book.tags.map(\.label))
        }
        return .ok(Components.Schemas.SearchResponse200(isbns: found.prefix(input.body.limit ?? 50).map(\.isbn)))
    }

    func shelfSizes(_ input: Operations.ShelfSizes.Input) async throws -> Operations.ShelfSizes.Output {
        let labels = catalogue.all().flatMap { $0.tags.map(\.label) }
        return .ok(Dictionary(labels.map { ($0, 1) }, uniquingKeysWith: +))
    }

    func categoryTree(_ input: Operations.CategoryTree.Input) async throws -> Operations.CategoryTree.Output {
        .ok(.preferred(by: input.accept, json: Catalogue.categories, plain: Catalogue.outline(Catalogue.categories)))
    }

    /// The 404 for an ISBN no book has (or one that may not be removed).
    static func noBook(_ isbn: String) -> ProblemDetails {
        ProblemDetails(kind: .notFound, status: .notFound, detail: "no book has ISBN \(isbn)")
    }
}
