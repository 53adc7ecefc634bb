import TrailJSON
import TrailModel
import TrailSchema
import TrailWorkspace

/// What an archive says about the workspace it packs, read from `workspace.json` and `state.json`.
///
/// An invalid `workspace.json` stops the build; an invalid `state.json` is a failure the archive
/// reports (``stateProblems``), and its high-water marks are then not used.
struct WorkspaceDescription {
    var source: String
    var baseURL: String
    var projects: [String]
    var createdAt: String
    /// `state.json`'s `updated_at`: when the last pull finished.
    var stateUpdatedAt: String?
    /// Each project's trace high-water mark from `state.json`.
    var highWaterMarks: [String: Timestamp] = [:]
    /// Why `state.json` is invalid, or empty.
    var stateProblems: [RecordIssue] = []
    /// `workspace.json` and, when present, `state.json`, copied byte for byte into the payload.
    var plans: [PayloadPlan] = []

    /// The time quarantined records were received: the last pull, else the workspace's creation.
    var receivedAt: String { stateUpdatedAt ?? createdAt }

    /// Reads and checks both files.
    ///
    /// - Parameters:
    ///   - reader: the workspace.
    ///   - validator: validates against the bundled schemas.
    /// - Throws: ``AuditError/invalidWorkspace(path:message:)`` when `workspace.json` breaks its schema,
    ///   ``AuditError/fileSystem(operation:path:message:)`` when `state.json` cannot be read.
    init(_ reader: WorkspaceReader, validator: any ArchiveRecordValidator) throws {
        let workspace = reader.root
        let problems = validator.problems(in: reader.descriptor.json, schemaID: RecordKind.workspace.schemaID)
        guard problems.isEmpty, let baseURL = reader.descriptor.baseURL, let createdAt = reader.descriptor.createdAt
        else {
            throw AuditError.invalidWorkspace(
                path: workspace,
                message: "workspace.json: " + problems.map(\.description).joined(separator: "; ")
            )
        }
        source = reader.descriptor.source
        self.baseURL = baseURL
        projects = reader.descriptor.projects
        self.createdAt = createdAt
        let data = reader.descriptor.bytes
        plans.append(
            PayloadPlan(
                archivePath: BagLayout.workspace,
                source: .raw(workspace + "/workspace.json"),
                size: Int64(data.count),
                digest: RecordInterpreter.sha256(data)
            )
        )
        let statePath = workspace + "/state.json"
        let stateBytes: [UInt8]?
        do { stateBytes = try reader.stateBytes() } catch {
            throw AuditError.fileSystem(operation: "read", path: statePath, message: "\(error)")
        }
        guard let state = stateBytes else { return }
        readState(state, validator: validator)
        plans.append(
            PayloadPlan(
                archivePath: BagLayout.state,
                source: .raw(statePath),
                size: Int64(state.count),
                digest: RecordInterpreter.sha256(state)
            )
        )
    }

    private mutating func readState(_ state: [UInt8], validator: any ArchiveRecordValidator) {
        let value: JSONValue
        do { value = try JSONParser().parse(state) } catch {
            stateProblems = [RecordIssue(instanceLocation: "", keywordLocation: "", message: "\(error)")]
            return
        }
        stateProblems = validator.problems(in: value, schemaID: RecordKind.state.schemaID)
        guard stateProblems.isEmpty else { return }
        stateUpdatedAt = value["updated_at"]?.stringValue
        for (project, stream) in value["streams"]?.objectValue ?? [:] {
            if let mark = stream["traces"]?["high_water_mark"]?.stringValue.flatMap(Timestamp.init) {
                highWaterMarks[project] = mark
            }
        }
    }

    /// The reference instant of the archive: `--bagging-date`, else the workspace's last pull
    /// (`state.json` `updated_at`), else its creation (`workspace.json` `created_at`).
    func referenceText(baggingDate: String?) -> String {
        if let baggingDate { return baggingDate + "T00:00:00Z" }
        return stateUpdatedAt ?? createdAt
    }

    /// `Bagging-Date`: `--bagging-date`, else the UTC day of the reference instant.
    func baggingDay(baggingDate: String?) -> String {
        baggingDate ?? RFC3339Timestamp.utcDay(referenceText(baggingDate: baggingDate)) ?? "1970-01-01"
    }

    /// The modification time of every archive entry, in seconds since the epoch (never negative).
    ///
    /// - Throws: ``AuditError/invalidOption(_:)`` when `--bagging-date` is not `YYYY-MM-DD`.
    func referenceTime(baggingDate: String?) throws -> Int64 {
        guard let seconds = RFC3339Timestamp.epochSeconds(referenceText(baggingDate: baggingDate)) else {
            throw AuditError.invalidOption("bagging date \(baggingDate ?? "") is not YYYY-MM-DD")
        }
        return max(0, seconds)
    }
}
