import TrailJSON
import TrailModel
import TrailWorkspace

/// The records an archive build turns away, spooled per `<project>/<stream>` in the staging directory and
/// merged, after the workspace's own quarantine lines, into `data/quarantine/<project>/<stream>.jsonl`.
final class QuarantineSpool {
    private let staging: String
    private let receivedAt: String
    private var spools: [String: HashingFile] = [:]
    /// Records quarantined by this build.
    private(set) var added = 0
    /// Quarantine lines carried over from the workspace.
    private(set) var carried = 0

    /// - Parameters:
    ///   - staging: the build's staging directory.
    ///   - receivedAt: the `received_at` of every record quarantined by this build.
    init(staging: String, receivedAt: String) {
        self.staging = staging
        self.receivedAt = receivedAt
    }

    /// Spools one record with why it was turned away.
    func add(_ payload: JSONValue, problems: [RecordIssue], project: String, stream: String) throws {
        let key = "\(project)/\(stream)"
        let spool: HashingFile
        if let existing = spools[key] {
            spool = existing
        } else {
            spool = try HashingFile(path: staging + "/quarantine-\(spools.count).jsonl")
            spools[key] = spool
        }
        let record = QuarantineRecord(
            project: project,
            stream: stream,
            receivedAt: receivedAt,
            issues: problems,
            payload: payload
        )
        try spool.appendLine(record.bytes)
        added += 1
    }

    /// Writes each quarantine payload file: the workspace's lines for that key, then this build's.
    ///
    /// - Parameters:
    ///   - workspaceFiles: the workspace's quarantine files.
    ///   - reader: the workspace.
    ///   - note: called with each written line's archive path, 1-based line number and bytes, in order.
    /// - Returns: the payload files to write, one per `<project>/<stream>`, by key.
    /// - Throws: ``AuditError/fileSystem(operation:path:message:)`` when a file cannot be read or written.
    func merge(
        workspaceFiles: [WorkspaceFile],
        in reader: WorkspaceReader,
        note: (_ file: String, _ line: Int, _ bytes: [UInt8]) -> Void
    ) throws -> [PayloadPlan] {
        var keys = Set(spools.keys)
        var workspaceFileByKey: [String: WorkspaceFile] = [:]
        for file in workspaceFiles {
            let key = "\(file.project)/\(file.member ?? "")"
            keys.insert(key)
            workspaceFileByKey[key] = file
        }
        var plans: [PayloadPlan] = []
        for (number, key) in keys.sorted().enumerated() {
            let merged = try HashingFile(path: staging + "/merged-\(number).jsonl")
            let archivePath = "data/quarantine/\(key).jsonl"
            if let file = workspaceFileByKey[key] {
                carried += try Self.copyLines(
                    from: reader.path(of: file),
                    open: { try reader.lineReader(file) },
                    to: merged
                ) { note(archivePath, merged.lines, $0) }
            }
            if let spool = spools[key] {
                try spool.finish()
                let path = spool.path!
                try Self.copyLines(from: path, open: { try NDJSONReader(path: path) }, to: merged) {
                    note(archivePath, merged.lines, $0)
                }
            }
            let entry = try merged.finish()
            plans.append(
                PayloadPlan(
                    archivePath: archivePath,
                    source: .staged(merged.path!),
                    size: entry.size,
                    digest: entry.digest
                )
            )
        }
        return plans
    }

    @discardableResult
    private static func copyLines(
        from path: String,
        open: () throws -> NDJSONReader,
        to output: HashingFile,
        each: ([UInt8]) -> Void
    ) throws -> Int {
        let reader: NDJSONReader
        do { reader = try open() } catch {
            throw AuditError.fileSystem(operation: "read", path: path, message: "\(error)")
        }
        defer { reader.close() }
        var count = 0
        while true {
            let line: NDJSONLine?
            do { line = try reader.next() } catch {
                throw AuditError.fileSystem(operation: "read", path: path, message: "\(error)")
            }
            guard let line else { return count }
            try output.appendLine(line.bytes)
            each(line.bytes)
            count += 1
        }
    }
}
