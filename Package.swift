// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ChatServer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ChatServer", targets: ["ChatServer"]),
        .executable(name: "RouteGen", targets: ["RouteGen"]),
        .executable(name: "ChatBench", targets: ["ChatBench"]),
        .executable(name: "ChatConformance", targets: ["ChatConformance"]),
        .plugin(name: "RouteGenPlugin", targets: ["RouteGenPlugin"]),
        // What a package that generates its own server from its own spec depends on.
        .library(name: "APIRuntime", targets: ["APIRuntime"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libyaml, from the system (Debian: libyaml-dev).
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // libpq, PostgreSQL's C client, from the system (Debian: libpq-dev).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // epoll, eventfd, accept4 and an io_uring for batches of sends, which Glibc's Swift module
        // leaves out (as SwiftNIO's CNIOLinux); the io_uring by its system calls, no liburing.
        .target(name: "CSystemLinux"),
        // The event loop: syscalls (`System`), the epoll thread and its watches, the queue
        // executor, the monotonic clock. Below the transport, the database client and the load tool.
        .target(name: "EventLoop", dependencies: ["CSystemLinux"]),
        // PostgreSQL over libpq's asynchronous API, its sockets watched by the event loop's epoll thread.
        .target(name: "PostgresClient", dependencies: ["CLibPQ", "EventLoop"]),
        // The generator: load api.yaml, build the model, validate, render Swift.
        .target(name: "RouteGenCore", dependencies: ["CYAML"]),
        .executableTarget(name: "RouteGen", dependencies: ["RouteGenCore"]),
        .plugin(
            name: "RouteGenPlugin",
            capability: .buildTool(),
            dependencies: ["RouteGen"]
        ),
        // The HTTP/1.1 transport: sockets, parsing, responses, streams. Knows nothing of chat.
        .target(name: "HTTPServer", dependencies: ["EventLoop"]),
        // What generated routers need beyond HTTP: JSON values, schema validation, typed event sinks.
        .target(name: "APIRuntime", dependencies: ["HTTPServer"]),
        // The code generated from api.yaml at build time.
        .target(
            name: "ChatAPI",
            dependencies: ["APIRuntime", "HTTPServer"],
            plugins: ["RouteGenPlugin"]
        ),
        .executableTarget(
            name: "ChatServer",
            dependencies: [
                "ChatAPI", "APIRuntime", "HTTPServer", "PostgresClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // /metrics: the counters through swift-metrics, the text format by swift-prometheus,
                // labelled by the operation the generated router matched.
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.embedInCode("Web/chat.html")]
        ),
        // The conformance judge: reads a spec with RouteGenCore's loader and checks a live server
        // against it with its own HTTP client, JSON reader, schema validator and SSE parser.
        // Never imports the server's modules, so a shared bug cannot hide itself.
        .target(name: "ConformanceKit", dependencies: ["RouteGenCore"]),
        // The judge as a command for anyone's CI; api.yaml is a symlink to the package's spec,
        // embedded so the binary judges by it without a checkout.
        .executableTarget(
            name: "ChatConformance",
            dependencies: [
                "ConformanceKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.embedInCode("api.yaml")]
        ),
        // Load tool for any server implementing api.yaml; its own HTTP client, not the server's.
        .executableTarget(
            name: "ChatBench",
            dependencies: [
                "RouteGenCore", "EventLoop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Generated/ holds the checked-in snapshot of what RouteGen makes of api.yaml: read by
        // GeneratedSnapshotTests, never compiled.
        .testTarget(
            name: "RouteGenTests",
            dependencies: ["RouteGenCore", "ChatAPI", "APIRuntime"],
            exclude: ["Generated"]
        ),
        // openapi.yaml there is full of names that Swift, the runtime or the generated code use, or
        // that meet once mangled: the build generates it with the plugin, so it must compile.
        .testTarget(
            name: "GeneratedNamesTests",
            dependencies: ["APIRuntime", "HTTPServer"],
            plugins: ["RouteGenPlugin"]
        ),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "EventLoop"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient"]),
        .testTarget(name: "APIRuntimeTests", dependencies: ["APIRuntime", "HTTPServer"]),
        .testTarget(name: "ChatServerTests", dependencies: ["ChatServer", "ChatAPI", "HTTPServer", "PostgresClient", "CSystemLinux"]),
        .testTarget(name: "Conformance", dependencies: ["ConformanceKit", "RouteGenCore", "ChatConformance"]),
    ],
    swiftLanguageModes: [.v6]
)
