// swift-tools-version: 6.2
//
// PromptTrail's fuzz targets: one libFuzzer binary per untrusted-input API, built apart from the main package
// so that its build is unaffected. Build and run them with `scripts/fuzz.sh` (see docs/testing.md):
//
//     swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library

import PackageDescription

/// A fuzz target: an executable whose entry point is `LLVMFuzzerTestOneInput` (libFuzzer provides `main`).
func fuzzTarget(_ name: String, _ products: [String], _ others: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "PromptTrail") } + others
    )
}

let package = Package(
    name: "FuzzTesting",
    dependencies: [
        .package(name: "PromptTrail", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // Shared helpers: the scratch file, the container wrapper, running async code to completion.
        .target(name: "CFuzzContainer", linkerSettings: [.linkedLibrary("archive")]),
        .target(name: "FuzzSupport", dependencies: ["CFuzzContainer"]),

        fuzzTarget("FuzzJSON", ["TrailJSON"]),
        fuzzTarget("FuzzNDJSON", ["TrailJSON", "TrailCompression"]),
        fuzzTarget("FuzzSchema", ["TrailJSON", "TrailSchema"]),
        fuzzTarget("FuzzSchemaProjection", ["TrailJSON", "TrailSchema"]),
        fuzzTarget("FuzzPattern", ["TrailJSON", "TrailSchema"]),
        fuzzTarget("FuzzArchive", ["TrailArchive", "TrailAudit", "TrailJSON"]),
        fuzzTarget(
            "FuzzClient",
            ["TrailClient", "TrailJSON", "TrailModel"],
            [.product(name: "Logging", package: "swift-log")]
        ),
        fuzzTarget("FuzzTimestamp", ["TrailClient", "TrailModel"]),
        fuzzTarget("FuzzParquet", ["TrailExport", "TrailJSON"]),
    ]
)

for target in package.targets where target.name != "CFuzzContainer" {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ])
    target.swiftSettings = settings
}
