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
        var resolver = resolver
        let resolution = resolver.resolve(projectID: "proj_a", promptVersionID: "prm_1")
        #expect(
            resolution == LineageResolution(status: .linked, promptVersionID: "prm_1", version: 1, contentSHA256: "aa")
        )
    }

    @Test("a trace naming no version is unlinked")
    func unlinked() {
        var resolver = resolver
        #expect(resolver.resolve(projectID: "proj_a", promptVersionID: nil).status == .unlinked)
    }

    @Test("a missing version, or one of another project, is dangling and copies nothing")
    func dangling() {
        var resolver = resolver
        for (project, id) in [("proj_a", "prm_gone"), ("proj_b", "prm_1")] {
            let resolution = resolver.resolve(projectID: project, promptVersionID: id)
            #expect(resolution.status == .dangling)
            #expect(resolution.promptVersionID == id)
            #expect(resolution.version == nil && resolution.contentSHA256 == nil)
        }
    }

    @Test("a resolution kept from before is not given once the resolver learns of the version or of observations")
    func keptResolutions() {
        var resolver = resolver
        // Asked twice: the second answer is the kept one.
        for _ in 0..<2 { #expect(resolver.resolve(projectID: "proj_a", promptVersionID: "prm_2").status == .dangling) }
        resolver.observe(projectID: "proj_a", promptVersionID: "prm_1")
        #expect(resolver.resolve(projectID: "proj_a", promptVersionID: "prm_2").status == .neverObserved)
        resolver.add(
            PromptVersionReference(projectID: "proj_a", promptVersionID: "prm_2", version: 2, contentSHA256: "bb")
        )
        let resolution = resolver.resolve(projectID: "proj_a", promptVersionID: "prm_2")
        #expect(resolution.status == .linked && resolution.version == 2 && resolution.contentSHA256 == "bb")
        // Many versions asked in turn: each answer is still its own.
        for number in 0..<100 {
            let id = "prm_many_\(number % 40)"
            #expect(resolver.resolve(projectID: "proj_a", promptVersionID: id).promptVersionID == id)
        }
    }
}
