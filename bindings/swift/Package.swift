// swift-tools-version:5.9
// Haven for Swift: the UniFFI-generated Swift API (target `Haven`) over the Rust engine compiled into
// HavenFFI.xcframework (iOS device, iOS simulator and macOS slices).
//
// Both inputs are build outputs, made together by `scripts/build-xcframework.sh` on a Mac with Xcode:
//   HavenFFI.xcframework                      static libhaven.a per platform, C header and module map
//   Sources/Haven/Haven.generated.swift       the generated Swift bindings (beside the committed privacy manifest)
// Then `swift test` here runs the XCTest suite on the Mac (or use Xcode's iOS simulator destination).
import PackageDescription

let package = Package(
    name: "Haven",
    platforms: [
        // Keep in step with IPHONEOS_DEPLOYMENT_TARGET and MACOSX_DEPLOYMENT_TARGET in build-xcframework.sh.
        .iOS(.v15),
        .macOS(.v12),
    ],
    products: [
        .library(name: "Haven", targets: ["Haven"]),
    ],
    targets: [
        .binaryTarget(name: "HavenFFI", path: "HavenFFI.xcframework"),
        .target(
            name: "Haven",
            dependencies: ["HavenFFI"],
            path: "Sources/Haven",
            // Haven's privacy manifest: nothing collected, no tracking (see the file).
            resources: [.copy("PrivacyInfo.xcprivacy")]
        ),
        .testTarget(
            name: "HavenTests",
            dependencies: ["Haven"],
            path: "Tests/HavenTests"
        ),
    ]
)
