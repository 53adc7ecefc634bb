// swift-tools-version: 6.2
//
// PromptTrail: export and audit LLM prompt histories and the model traces linked to them.

import PackageDescription

/// What the file tools link: their commands library and the parser that runs them.
let toolDependencies: [Target.Dependency] = [
    "TrailCommands",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
]
/// What trail-validate links instead: its command alone, without the archive, audit and export engines.
let validateToolDependencies: [Target.Dependency] = [
    "TrailValidateCommand",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
]
/// What the two HTTP tools (trail-pull, trail-serve) link instead.
let networkToolDependencies: [Target.Dependency] = [
    "TrailNetworkCommands",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
]

// Linux only: the sources call glibc (`malloc_trim`, thread stack sizes, `Glibc` functions), and no
// Apple platform is declared because none is built or tested.
let package = Package(
    name: "PromptTrail",
    products: [
        .executable(name: "trail-pull", targets: ["trail-pull"]),
        .executable(name: "trail-validate", targets: ["trail-validate"]),
        .executable(name: "trail-archive", targets: ["trail-archive"]),
        .executable(name: "trail-verify", targets: ["trail-verify"]),
        .executable(name: "trail-export", targets: ["trail-export"]),
        .executable(name: "trail-serve", targets: ["trail-serve"]),
        // The libraries that read untrusted bytes, for FuzzTesting/ (a package of its own beside this one).
        .library(name: "TrailJSON", targets: ["TrailJSON"]),
        .library(name: "TrailCompression", targets: ["TrailCompression"]),
        .library(name: "TrailSchema", targets: ["TrailSchema"]),
        .library(name: "TrailArchive", targets: ["TrailArchive"]),
        .library(name: "TrailAudit", targets: ["TrailAudit"]),
        .library(name: "TrailModel", targets: ["TrailModel"]),
        .library(name: "TrailClient", targets: ["TrailClient"]),
        .library(name: "TrailExport", targets: ["TrailExport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.70.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // MARK: C libraries, wrapped once each (module.modulemap + shim.h only).
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CThreadStack"),

        // MARK: Libraries.
        .target(name: "TrailArchive", dependencies: ["CArchive", "TrailCompression", "TrailIO", "TrailJSON"]),
        .target(name: "TrailConcurrency"),
        // File writes and reads that retry on EINTR, and the durable temporary-file commit, written once.
        .target(name: "TrailIO"),
        .target(name: "TrailJSON", dependencies: ["TrailIO"]),
        .target(name: "TrailCompression", dependencies: ["CZlib", "CZstd", "TrailConcurrency", "TrailJSON"]),
        .target(name: "TrailSchema", dependencies: ["CThreadStack", "TrailIO", "TrailJSON"]),
        // trail-validate's engine: path expansion, schema detection, parallel validation, report formats.
        .target(
            name: "TrailValidation",
            dependencies: ["TrailCompression", "TrailConcurrency", "TrailJSON", "TrailSchema"]
        ),
        // Bag layout, lineage, reports, signatures and verification, over TrailArchive's libarchive wrapper.
        .target(
            name: "TrailAudit",
            dependencies: [
                "TrailArchive",
                "TrailConcurrency",
                "TrailIO",
                "TrailJSON",
                "TrailModel",
                "TrailSchema",
                "TrailWorkspace",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // Warehouse datasets: table definitions, Parquet/NDJSON/CSV writers, partitions, manifest; the source
        // is a workspace or an audit archive, verified with TrailAudit and streamed with TrailArchive.
        .target(
            name: "TrailExport",
            dependencies: [
                "TrailArchive",
                "TrailAudit",
                "TrailCompression",
                "TrailIO",
                "TrailJSON",
                "TrailModel",
                "TrailWorkspace",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Records shared by the tools: prompt versions, traces, hashes, timestamps and lineage resolution.
        .target(
            name: "TrailModel",
            dependencies: [
                "TrailJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "TrailClient",
            dependencies: [
                "TrailJSON",
                "TrailModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TrailWorkspace",
            dependencies: [
                "TrailIO",
                "TrailJSON",
                "TrailModel",
            ]
        ),
        .target(
            name: "TrailPull",
            dependencies: [
                "TrailClient",
                "TrailConcurrency",
                "TrailJSON",
                "TrailModel",
                "TrailSchema",
                "TrailWorkspace",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TrailServer",
            dependencies: [
                "TrailJSON",
                "TrailModel",
                "TrailSchema",
                "TrailWorkspace",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // What every tool shares: exit codes, options, interruption, summary formats.
        .target(
            name: "TrailToolSupport",
            dependencies: ["TrailJSON", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // trail-validate's command, alone: the tool a CI job calls on every payload starts without the archive,
        // audit, export and crypto code (a fifth smaller, a ninth less start-up time).
        .target(
            name: "TrailValidateCommand",
            dependencies: [
                "TrailJSON",
                "TrailSchema",
                "TrailToolSupport",
                "TrailValidation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The commands of the other tools that read and write files (archive, verify, export); no HTTP, so their
        // binaries link neither NIO nor SQLite.
        .target(
            name: "TrailCommands",
            dependencies: [
                "TrailArchive",
                "TrailAudit",
                "TrailCompression",
                "TrailExport",
                "TrailJSON",
                "TrailModel",
                "TrailSchema",
                "TrailToolSupport",
                "TrailWorkspace",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The commands of the two tools that speak HTTP: trail-pull (AsyncHTTPClient) and trail-serve (Hummingbird).
        .target(
            name: "TrailNetworkCommands",
            dependencies: [
                "CMalloc",
                "TrailClient",
                "TrailJSON",
                "TrailModel",
                "TrailPull",
                "TrailServer",
                "TrailToolSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "TrailTestSupport"),

        // MARK: Executables: an entry point each, over TrailCommands or TrailNetworkCommands.
        .executableTarget(name: "trail-pull", dependencies: networkToolDependencies),
        .executableTarget(name: "trail-validate", dependencies: validateToolDependencies),
        .executableTarget(name: "trail-archive", dependencies: toolDependencies),
        .executableTarget(name: "trail-verify", dependencies: toolDependencies),
        .executableTarget(name: "trail-export", dependencies: toolDependencies),
        .executableTarget(name: "trail-serve", dependencies: networkToolDependencies),

        // MARK: Tests, laid out like the sources.
        .testTarget(name: "TrailArchiveTests", dependencies: ["TrailArchive", "TrailCompression", "TrailTestSupport"]),
        .testTarget(
            name: "TrailAuditTests",
            dependencies: [
                "TrailAudit",
                "TrailArchive",
                "TrailJSON",
                "TrailModel",
                "TrailTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "TrailCompressionTests", dependencies: ["TrailCompression"]),
        .testTarget(name: "TrailConcurrencyTests", dependencies: ["TrailConcurrency"]),
        .testTarget(name: "TrailJSONTests", dependencies: ["TrailJSON", "TrailCompression", "TrailTestSupport"]),
        .testTarget(
            name: "TrailExportTests",
            dependencies: ["TrailExport", "TrailArchive", "TrailAudit", "TrailJSON", "TrailModel", "TrailTestSupport"]
        ),
        .testTarget(
            name: "TrailSchemaTests",
            dependencies: ["TrailSchema", "TrailJSON", "TrailTestSupport"],
            exclude: ["known-failures.txt"]
        ),
        .testTarget(
            name: "TrailCommandsTests",
            dependencies: [
                "TrailCommands", "TrailNetworkCommands", "TrailToolSupport", "TrailValidateCommand", "TrailArchive",
                "TrailCompression", "TrailJSON", "TrailSchema",
                "TrailTestSupport",
            ]
        ),
        .testTarget(name: "TrailModelTests", dependencies: ["TrailModel", "TrailJSON"]),
        .testTarget(
            name: "TrailClientTests",
            dependencies: [
                "TrailClient", "TrailModel", "TrailJSON", "TrailTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TrailWorkspaceTests",
            dependencies: ["TrailWorkspace", "TrailModel", "TrailJSON", "TrailTestSupport"]
        ),
        .testTarget(
            name: "TrailPullTests",
            dependencies: [
                "TrailPull",
                "TrailArchive",
                "TrailAudit",
                "TrailExport",
                "TrailCompression",
                "TrailClient",
                "TrailModel",
                "TrailJSON",
                "TrailServer",
                "TrailTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "TrailServerTests",
            dependencies: [
                "TrailServer",
                "TrailCommands",
                "TrailJSON",
                "TrailSchema",
                "TrailTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

// MARK: Swift 6 strictness for every Swift target; PromptTrail's own code builds with no warnings.
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .treatAllWarnings(as: .error),
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ])
    target.swiftSettings = settings
}
