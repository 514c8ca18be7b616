// swift-tools-version: 6.1
import PackageDescription

// Evaluates a class document with the bundled rules: Trellis as a library, by path.
let package = Package(
    name: "EvaluateClass",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Trellis", path: "../..")],
    targets: [.executableTarget(name: "EvaluateClass", dependencies: [.product(name: "Trellis", package: "Trellis")])]
)
