import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TrailServer
import TrailTestSupport

@Suite("Seeding and generation")
struct SeedingTests {
    @Test("--seed loads the samples workspace and serves its records back")
    func seedSamples() async throws {
        let samples = PackagePaths.samples
        try #require(
            FileManager.default.fileExists(atPath: samples.appendingPathComponent("workspace").path),
            "samples/workspace is missing under \(PackagePaths.root.path)"
        )
        let workspace = samples.appendingPathComponent("workspace")
        let manifest = try JSONDecoder().decode(
            AnyCodableProjects.Manifest.self,
            from: Data(contentsOf: workspace.appendingPathComponent("workspace.json"))
        )
        var expectedTraces = 0
        for project in manifest.projects {
            let folder = workspace.appendingPathComponent("traces/\(project)")
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                expectedTraces += try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                    .split(separator: "\n").count
            }
        }
        let pages = expectedTraces
        try await TestServer.with(generate: 0, configure: { $0.seedDirectory = samples }) { server in
            var count = 0
            var cursor: String?
            var rounds = 0
            repeat {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let page = try Decode.value(
                    Decode.TraceList.self,
                    try await server.get("/v1/traces/?limit=200\(query)")
                )
                count += page.data.count
                cursor = page.nextCursor
                rounds += 1
            } while cursor != nil && rounds <= pages / 200 + 2
            #expect(count == pages)
            for project in manifest.projects {
                let prompts = try await server.get("/v1/projects/\(project)/prompts")
                #expect(prompts.status == 200)
                #expect(prompts.body.contains(#""is_active":true"#))
            }
        }
    }

    struct AnyCodableProjects: Decodable {
        typealias Value = Manifest
        struct Manifest: Decodable { var projects: [String] }
    }

    @Test("--generate with the same --random-seed gives the same data")
    func deterministicGeneration() async throws {
        let first = try await TestServer.with(generate: 12) { try await $0.get("/v1/traces/?limit=200").body }
        let second = try await TestServer.with(generate: 12) { try await $0.get("/v1/traces/?limit=200").body }
        let other = try await TestServer.with(generate: 12, configure: { $0.randomSeed = 2 }) {
            try await $0.get("/v1/traces/?limit=200").body
        }
        #expect(first == second)
        #expect(first != other)
    }

    @Test("a folder that is no workspace is refused")
    func badSeed() async throws {
        let directory = try TemporaryDirectory(prefix: "trail-serve-seed")
        var configuration = ServerConfiguration()
        configuration.seedDirectory = directory.url
        let server = try EmulatorServer(configuration: configuration)
        await #expect(throws: TrailServerError.self) { try await server.populate() }
    }
}
