import Testing
import TrailArchive

@Suite("Entry names are checked as the bytes the archive holds")
struct ArchivePathTests {
    /// A name as stored and what the rules make of it: its normal form, or the reason it is refused.
    struct Case: Sendable, CustomStringConvertible {
        var bytes: [UInt8]
        var accepted: String?
        var refused: String?
        var description: String { ArchivePath.display(bytes) }

        static func ok(_ name: String, _ normal: String? = nil) -> Case {
            Case(bytes: Array(name.utf8), accepted: normal ?? name)
        }

        static func no(_ name: String, _ reason: String) -> Case { Case(bytes: Array(name.utf8), refused: reason) }

        static func no(bytes: [UInt8], _ reason: String) -> Case { Case(bytes: bytes, refused: reason) }
    }

    static let cases: [Case] = [
        .ok("data/a.jsonl"),
        .ok("./data/a.jsonl", "data/a.jsonl"),
        .ok("././bagit.txt", "bagit.txt"),
        .ok("data/", "data"),
        .ok("data/traces/proj/2026-05-20.jsonl"),
        .ok("data/prompts/élan-项目.jsonl"),
        .ok("data/..hidden", "data/..hidden"),
        .ok("data/.../x", "data/.../x"),
        .ok("schemas/a.b/c", "schemas/a.b/c"),
        .no("", "empty path"),
        .no("./", "empty path"),
        .no("../evil", "\"..\" segment"),
        .no("data/../../evil", "\"..\" segment"),
        .no("data/..", "\"..\" segment"),
        // "/" followed by a combining mark is one grapheme cluster: a String split on "/" does not split
        // there, and "..\u{301}" is not ".." to String either. As bytes, "../" is a segment "..".
        .no("../\u{301}evil", "\"..\" segment"),
        .no("data/..\u{301}/../x", "\"..\" segment"),
        .no("a/./b", "\".\" segment"),
        .no("/etc/passwd", "absolute path"),
        .no("C:/evil", "absolute path (drive letter)"),
        .no("a//b", "empty path segment"),
        .no("a\\..\\b", "backslash"),
        .no(bytes: Array("data/x".utf8) + [0] + Array("../../evil".utf8), "NUL byte"),
        .no("data/x\nFORGED: intact", "control character"),
        .no("data/\u{1b}[2Kx", "control character"),
        .no("data/\u{7f}", "control character"),
        .no("data/\u{85}x", "control character"),
        .no(bytes: Array("data/".utf8) + [0xFF, 0xFE], "not valid UTF-8"),
        .no(bytes: Array("data/".utf8) + [0xC0, 0xAF], "not valid UTF-8"),  // overlong "/"
        .no(bytes: Array("data/".utf8) + [0xED, 0xA0, 0x80], "not valid UTF-8"),  // a surrogate
    ]

    @Test("each rule, on bytes", arguments: cases)
    func rule(_ item: Case) throws {
        if let accepted = item.accepted {
            #expect(try ArchivePath.normalize(item.bytes) == accepted)
        } else {
            let error = #expect(throws: ArchiveError.self) { try ArchivePath.normalize(item.bytes) }
            let text = String(describing: error)
            #expect(text.contains(item.refused ?? "?"), "\(text)")
            // The refusal prints on one line, whatever the name holds.
            #expect(!text.contains("\n") && !text.contains("\u{1b}") && !text.contains("\0"), "\(text)")
        }
    }

    @Test("display shows control characters and bytes that are not UTF-8 as escapes")
    func display() {
        #expect(ArchivePath.display(Array("a\nb\u{1b}[0m".utf8)) == "a\\nb\\x1b[0m")
        #expect(ArchivePath.display([0x61, 0xFF, 0x00]) == "a\\xff\\x00")
        #expect(ArchivePath.display(Array("data/élan".utf8)) == "data/élan")
        #expect(ArchivePath.display(Array("x\u{202E}y".utf8)) == "x\\u{202E}y")
    }
}
