// swift-tools-version: 6.0
import PackageDescription

// A server of its own domain, generated from its own spec by the RouteGen plugin of the package
// two folders up, as any other package would use it: through its products.
let package = Package(
    name: "Bookshelf",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ChatServer", path: "../.."),
    ],
    targets: [
        // The code generated from Sources/BookshelfAPI/openapi.yaml at build time.
        .target(
            name: "BookshelfAPI",
            dependencies: [
                .product(name: "APIRuntime", package: "ChatServer"),
                .product(name: "HTTPServer", package: "ChatServer"),
            ],
            plugins: [.plugin(name: "RouteGenPlugin", package: "ChatServer")]
        ),
        .executableTarget(
            name: "BookshelfServer",
            dependencies: [
                "BookshelfAPI",
                .product(name: "APIRuntime", package: "ChatServer"),
                .product(name: "HTTPServer", package: "ChatServer"),
            ]
        ),
        .testTarget(
            name: "BookshelfTests",
            dependencies: [
                "BookshelfServer", "BookshelfAPI",
                .product(name: "APIRuntime", package: "ChatServer"),
                .product(name: "HTTPServer", package: "ChatServer"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
