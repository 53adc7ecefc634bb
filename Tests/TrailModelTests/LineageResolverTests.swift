import Testing
import TrailModel

@Suite("LineageResolver")
struct LineageResolverTests {
    let resolver: LineageResolver = {
        var resolver = LineageResolver()
        resolver.add(
            PromptVersionReference(projectID: "proj_a", promptVersionID: "prm_1", version: 1, contentSHA256: "aa")
        )
        return resolver
    }()

    @Test("a trace naming a present version is linked, with its number and content hash")
    func linked() {
        let resolution = resolver.resolve(projectID: "proj_a", promptVersionID: "prm_1")
        #expect(
            resolution == LineageResolution(status: .linked, promptVersionID: "prm_1", version: 1, contentSHA256: "aa")
        )
    }

    @Test("a trace naming no version is unlinked")
    func unlinked() {
        #expect(resolver.resolve(projectID: "proj_a", promptVersionID: nil).status == .unlinked)
    }

    @Test("a missing version, or one of another project, is dangling and copies nothing")
    func dangling() {
        for (project, id) in [("proj_a", "prm_gone"), ("proj_b", "prm_1")] {
            let resolution = resolver.resolve(projectID: project, promptVersionID: id)
            #expect(resolution.status == .dangling)
            #expect(resolution.promptVersionID == id)
            #expect(resolution.version == nil && resolution.contentSHA256 == nil)
        }
    }
}
