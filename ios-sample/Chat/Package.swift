// swift-tools-version:5.9
// The iOS sample's SDK-facing code (HavenService, ChatModel, Scripts), free of SwiftUI: the app in ../HavenSample
// adds the views. On a Mac, `swift test` here runs its tests against ../../bindings/swift (build its XCFramework
// first: scripts/build-xcframework.sh); on Linux, scripts/test-swift.sh compiles and tests the same sources.
import PackageDescription

let package = Package(
    name: "HavenChat",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "HavenChat", targets: ["HavenChat"]),
    ],
    dependencies: [
        .package(path: "../../bindings/swift"),
    ],
    targets: [
        .target(name: "HavenChat", dependencies: [.product(name: "Haven", package: "swift")]),
        .testTarget(name: "HavenChatTests", dependencies: ["HavenChat"]),
    ]
)
