/// How much of an archive's tag files verification holds in memory; `docs/archive-format.md` states them.
///
/// Only the tag files verification reads are held (each under its cap); every other top-level file is
/// streamed through the hash and never held, so memory does not depend on what an archive carries.
enum TagLimits {
    /// The cap of each tag file that is read whole, by name.
    static let bytes: [String: Int] = [
        BagLayout.declaration: 4 << 10,
        BagLayout.info: 1 << 20,
        BagLayout.manifest: 32 << 20,
        BagLayout.tagManifest: 1 << 20,
        BagLayout.signature: 64 << 10,
        BagLayout.completeness: 16 << 20,
        BagLayout.attestation: 32 << 20,
    ]
    /// The most bytes of one schema under `schemas/`.
    static let schemaBytes = 4 << 20
    /// The most bytes of all schemas together.
    static let schemaTotalBytes = 16 << 20
    /// The most schema files.
    static let schemaCount = 256
}
