import APIRuntime
import BookshelfAPI
import HTTPServer

/// The Bookshelf server put together: catalogue, handler, generated router, transport.
final class BookshelfApplication: Sendable {
    /// The `type` URIs of its problems start with this.
    static let problemTypeBase = "https://bookshelf.example/problems/"

    let catalogue = Catalogue()
    let server: HTTPServer
    /// The router alone, for tests that need no socket.
    let router: APIRouter<BookshelfHandler>

    init(host: String = "127.0.0.1", port: Int = 0) {
        let problems = ProblemEncoder(typeBase: Self.problemTypeBase)
        router = APIRouter(handler: BookshelfHandler(catalogue: catalogue), options: RouterOptions(problems: problems))
        server = HTTPServer(
            configuration: HTTPServerConfiguration(host: host, port: port, problems: problems), responder: router)
    }
}
