// swift-tools-version: 6.0
import PackageDescription

// RouteGen's largest test spec (Sources/LargeAPI/openapi.yaml, written by make-spec.py) as a
// package of its own, to time what compiling the generated code costs (BENCHMARKS.md).
let package = Package(
    name: "Large",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ChatServer", path: "../.."),
    ],
    targets: [
        .target(
            name: "LargeAPI",
            dependencies: [
                .product(name: "APIRuntime", package: "ChatServer"),
                .product(name: "HTTPServer", package: "ChatServer"),
            ],
            plugins: [.plugin(name: "RouteGenPlugin", package: "ChatServer")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
