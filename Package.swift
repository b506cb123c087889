// swift-tools-version: 6.1
// Gloss — offline-first notes backend. Layout and dependency direction: DESIGN.md §1.
import PackageDescription

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gloss", targets: ["gloss"]),
        .library(name: "GlossStorage", targets: ["GlossStorage"]),
        .library(name: "GlossSync", targets: ["GlossSync"]),
        .library(name: "GlossImport", targets: ["GlossImport"]),
        .library(name: "GlossServer", targets: ["GlossServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // System libraries: the only places that see libcurl and libxml2 (STYLE.md 1–2).
        .systemLibrary(
            name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),

        // The local replica: schema, change log, clock, merge.
        .target(
            name: "GlossStorage",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Storage"),
        // The libcurl client.
        .target(name: "GlossHTTP", dependencies: ["CCurl"], path: "Sources/GlossHTTP"),
        // The sync engine: version vectors, push/pull, wire types, remotes.
        .target(
            name: "GlossSync",
            dependencies: ["GlossStorage", "GlossHTTP", "CZlib"],
            path: "Sync"),
        // Import by URL: fetch, decode, parse, extract, sanitize.
        .target(
            name: "GlossImport",
            dependencies: ["GlossHTTP", "CLibXML2"],
            path: "Sources/GlossImport"),
        // The sync server and its stores.
        .target(
            name: "GlossServer",
            dependencies: [
                "GlossSync", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/GlossServer"),
        // The CLI: thin over the libraries.
        .executableTarget(
            name: "gloss",
            dependencies: [
                "GlossStorage", "GlossSync", "GlossImport", "GlossServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/gloss"),
        // `make bench`.
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "GlossStorage", "GlossSync", "GlossImport", "GlossServer",
                .product(name: "GRDB", package: "GRDB.swift"),
                "CLibXML2",
            ],
            path: "Benchmarks"),

        .testTarget(
            name: "GlossStorageTests", dependencies: ["GlossStorage"],
            path: "Tests/GlossStorageTests"),
        .testTarget(
            name: "GlossHTTPTests",
            dependencies: ["GlossHTTP", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/GlossHTTPTests"),
        .testTarget(
            name: "GlossImportTests",
            dependencies: ["GlossImport", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/GlossImportTests",
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "GlossSyncTests", dependencies: ["GlossSync", "GlossStorage"],
            path: "Tests/GlossSyncTests"),
        .testTarget(
            name: "GlossServerTests",
            dependencies: [
                "GlossServer", "GlossSync",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/GlossServerTests"),
        .testTarget(
            name: "GlossCLITests",
            dependencies: ["GlossStorage", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/GlossCLITests"),
    ]
)
