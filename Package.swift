// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Trellis",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Trellis", targets: ["Trellis"]),
        .executable(name: "trellis", targets: ["TrellisCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The CSV reader of `trellis import oneroster` (RFC 4180, scalar by scalar, lenient on quirks).
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
    ],
    targets: [
        // Lua 5.4 from the system (Debian: liblua5.4-dev).
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // The Lua API's macros, the capped allocator and the error handler, as C.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // Turns the bundled rule pack and the engine's own Lua into Swift source at build time.
        .executableTarget(name: "EmbedLuaSources"),
        .plugin(name: "EmbedLuaPlugin", capability: .buildTool(), dependencies: ["EmbedLuaSources"]),
        .target(
            name: "Trellis",
            dependencies: [
                "CLuaShim",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            exclude: ["RuleAPI"],
            swiftSettings: strictSettings,
            plugins: ["EmbedLuaPlugin"]
        ),
        .executableTarget(
            name: "TrellisCLI",
            dependencies: [
                "Trellis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrellisTests",
            dependencies: ["Trellis", "CLuaShim"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
    ]
)

