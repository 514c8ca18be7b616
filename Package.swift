// swift-tools-version: 6.1
import PackageDescription

// MemberImportVisibility is left off: with ZIPFoundation in the build, the fields of Glibc's `stat`
// are claimed by Glibc, CoreFoundation or CDispatch, a different one from one clean build to the
// next, and no set of imports satisfied every build.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Trellis",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Trellis", targets: ["Trellis"]),
        .executable(name: "trellis", targets: ["TrellisCLI"]),
        .library(name: "TrellisServer", targets: ["TrellisServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // `swift package generate-documentation --target Trellis` (the DocC catalog).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        // The audit log's SHA-256 digests (the server only).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        // Tests only: a real HTTP client for the tests that start `trellis serve` as a process.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.19.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
        // The server's connection tracker sits in the HTTP pipeline (HTTPRequestPart, HTTPResponsePart).
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        // The CSV reader of `trellis import oneroster` (RFC 4180, scalar by scalar, lenient on quirks).
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        // `trellis import sheet` and OneRoster `.zip` exports: an .xlsx workbook is a ZIP of XML parts.
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // `--history FILE`: each run recorded in a SQLite database (on Linux, the system's libsqlite3).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // Lua 5.4 from the system (Debian: liblua5.4-dev).
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // The Lua API's macros, the capped allocator, the limits, the proxies and the protected
        // runners, as C. Used only by TrellisLua.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // The Lua bridge: the one place that calls the Lua C API. Typed stack slots and registry
        // references, the sandbox handshake, the protected rule calls; `package` access only.
        .target(name: "TrellisLua", dependencies: ["CLuaShim"], swiftSettings: strictSettings),
        // Turns the bundled rule pack and the engine's own Lua into Swift source at build time.
        .executableTarget(name: "EmbedLuaSources"),
        .plugin(name: "EmbedLuaPlugin", capability: .buildTool(), dependencies: ["EmbedLuaSources"]),
        .target(
            name: "Trellis",
            dependencies: [
                "TrellisLua",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["RuleAPI"],
            swiftSettings: strictSettings,
            plugins: ["EmbedLuaPlugin"]
        ),
        // `trellis serve`: the engine over HTTP. Its own target so that the engine library
        // does not depend on Hummingbird.
        .target(
            name: "TrellisServer",
            dependencies: [
                "Trellis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "TrellisCLI",
            dependencies: [
                "Trellis",
                "TrellisServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrellisTests",
            dependencies: [
                "Trellis", "TrellisLua", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // History tests write files a Trellis history must refuse (another schema, a newer one)
                // and check its digests.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrellisServerTests",
            dependencies: [
                "Trellis",
                "TrellisServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)

