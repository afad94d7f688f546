import Dispatch
import Foundation

// BookshelfServer [--host HOST] [--port PORT]
// Serves the Bookshelf API; prints `Bookshelf listening on http://HOST:PORT` once bound, and
// stops on SIGINT or SIGTERM, letting requests in flight finish.
var host = "127.0.0.1"
var port = 8080
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch (argument, arguments.popFirst()) {
    case ("--host", let value?): host = value
    case ("--port", let value?) where Int(value) != nil: port = Int(value)!
    default:
        FileHandle.standardError.write(Data("usage: BookshelfServer [--host HOST] [--port PORT]\n".utf8))
        exit(2)
    }
}
let application = BookshelfApplication(host: host, port: port)
do {
    let address = try application.server.start()
    FileHandle.standardOutput.write(Data("Bookshelf listening on http://\(address.host):\(address.port)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("BookshelfServer: \(error)\n".utf8))
    exit(1)
}
ShutdownSignal.install {
    application.server.shutdown(deadline: .seconds(5))
    exit(0)
}
dispatchMain()
