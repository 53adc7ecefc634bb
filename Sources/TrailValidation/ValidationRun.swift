import Foundation
import TrailCompression
import TrailConcurrency
import TrailJSON
import TrailSchema

#if canImport(Glibc)
    import Glibc
#endif

/// A failure that stops `trail-validate` before or outside validation: bad usage, a bad schema, unreadable
/// input. The command maps it to exit status 2.
public struct ValidateFailure: Error, CustomStringConvertible {
    /// What went wrong, naming the file or the option.
    public var description: String
}

/// Runs `trail-validate`'s work: expands the paths, chooses the schema, validates every document in parallel
/// and returns a report. Prints nothing.
public struct ValidationRun: Sendable {
    /// What to validate with.
    public struct Configuration: Sendable {
        /// A bundled schema name or a schema file; `nil` detects each document's schema.
        public var schema: String?
        /// Folders besides the schema's own that its `file:` references may read from (`--allow-ref-dir`).
        public var referenceDirectories: [String] = []
        /// Whether `format` is an assertion (`--strict-formats`).
        public var assertFormats = false
        /// Worker threads.
        public var jobs = ProcessInfo.processInfo.activeProcessorCount

        /// Creates a configuration.
        public init(
            schema: String? = nil,
            referenceDirectories: [String] = [],
            assertFormats: Bool = false,
            jobs: Int? = nil
        ) {
            self.schema = schema
            self.referenceDirectories = referenceDirectories
            self.assertFormats = assertFormats
            self.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        }
    }

    /// A schema to validate with, and its display name.
    struct Candidate: Sendable {
        var name: String
        var validator: JSONSchemaValidator
        var required: Int
        var properties: Set<String> = []
        var requiredNames: [String] = []
        var constants: [String: JSONValue] = [:]

        /// How well a document's shape fits this schema: declared members present, required members present,
        /// and `const` discriminators (`record_type`, `event_type`, …) that agree (or disagree).
        func fit(_ document: JSONValue) -> Int {
            guard case .object(let object) = document else { return 0 }
            var score = 0
            for key in object.keys where properties.contains(key) { score += 2 }
            for name in requiredNames { score += object.contains(key: name) ? 1 : -2 }
            for (name, value) in constants {
                if let actual = object[name] { score += actual == value ? 100 : -100 }
            }
            return score
        }
    }

    enum InputKind {
        case document
        case lines
        case standardInput
    }

    struct Input {
        var path: String
        var kind: InputKind
    }

    let configuration: Configuration
    let fixed: Candidate?
    let candidates: [Candidate]

    /// Compiles the schema (or every bundled schema, for detection).
    /// Compiles the schema (or the bundled ones, to detect from).
    ///
    /// - Parameter configuration: the options.
    /// - Throws: ``ValidateFailure`` for an unknown or invalid schema.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        let options = ValidationOptions(assertFormats: configuration.assertFormats)
        if let name = configuration.schema {
            fixed = try Self.loadSchema(
                name,
                referenceDirectories: configuration.referenceDirectories,
                options: options
            )
            candidates = []
        } else {
            fixed = nil
            candidates = try BundledSchemas.all.filter { $0.group != "meta" }.map { bundled in
                do {
                    let validator = try JSONSchemaValidator(bundled: bundled, options: options)
                    let document = try? JSONValue(parsing: bundled.text)
                    let requiredNames = document?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
                    let declared = document?["properties"]?.objectValue
                    var constants: [String: JSONValue] = [:]
                    for (name, property) in zip(declared?.keys ?? [], declared?.values ?? []) {
                        if let value = property["const"] { constants[name] = value }
                    }
                    return Candidate(
                        name: bundled.name,
                        validator: validator,
                        required: requiredNames.count,
                        properties: Set(declared?.keys ?? []),
                        requiredNames: requiredNames,
                        constants: constants
                    )
                } catch {
                    throw ValidateFailure(description: "bundled schema \(bundled.name): \(error)")
                }
            }
            if candidates.isEmpty {
                throw ValidateFailure(description: "no bundled schemas to detect the payload kind with; pass --schema")
            }
        }
    }

    /// Compiles a bundled schema, or a schema file whose `file:` references may read regular files in the
    /// schema's folder and in `referenceDirectories` (see ``LocalSchemaFiles``); nothing else is loaded.
    static func loadSchema(
        _ name: String,
        referenceDirectories: [String] = [],
        options: ValidationOptions
    ) throws -> Candidate {
        if let bundled = BundledSchemas.named(name) ?? BundledSchemas.withID(name) {
            do {
                return Candidate(
                    name: bundled.name,
                    validator: try JSONSchemaValidator(bundled: bundled, options: options),
                    required: 0
                )
            } catch {
                throw ValidateFailure(description: "schema \(bundled.name): \(error)")
            }
        }
        guard FileManager.default.fileExists(atPath: name) else {
            throw ValidateFailure(
                description: "unknown schema \"\(name)\": neither a bundled schema (see --list-schemas) nor a file"
            )
        }
        let url = URL(fileURLWithPath: name).standardizedFileURL
        let references = LocalSchemaFiles(
            directories: [url.deletingLastPathComponent().path] + referenceDirectories,
            outsideHint: "; --allow-ref-dir DIR allows another folder"
        )
        do {
            // The schema file itself may be anywhere, and may be a pipe (`--schema <(…)`), but it is never a
            // device and never read past the size limit.
            var bytes = try LocalSchemaFiles(directories: nil, acceptsPipes: true).bytes(atPath: url.path)
            if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
                do {
                    bytes = try Gzip.decompress(bytes, limit: LocalSchemaFiles.defaultMaxBytes)
                } catch {
                    throw ValidateFailure(description: "schema \(name): \(error)")
                }
            }
            let document = try JSONValue(parsing: bytes)
            let registry = SchemaRegistry.standard.adding(loader: references.loader)
            let validator = try JSONSchemaValidator(
                schema: document,
                uri: url.absoluteString,
                registry: registry,
                options: options
            )
            return Candidate(name: name, validator: validator, required: 0)
        } catch let error as JSONParseError {
            throw ValidateFailure(description: "schema \(name):\(error.line):\(error.column): \(error.message)")
        } catch let error as SchemaError {
            throw ValidateFailure(description: "schema \(name): \(error)")
        } catch let error as ValidateFailure {
            throw error
        } catch {
            throw ValidateFailure(description: "schema \(name): \(error)")
        }
    }

    // MARK: Inputs

    static func expand(_ paths: [String]) -> ([Input], [ValidationReport.FileReport]) {
        var inputs: [Input] = []
        var missing: [ValidationReport.FileReport] = []
        let manager = FileManager.default
        func add(file path: String) {
            inputs.append(Input(path: path, kind: isLines(path) ? .lines : .document))
        }
        func addDirectory(_ path: String) {
            guard let enumerator = manager.enumerator(atPath: path) else { return }
            var found: [String] = []
            for case let relative as String in enumerator where isSupported(relative) {
                let full = (path as NSString).appendingPathComponent(relative)
                var isDirectory: ObjCBool = false
                if manager.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                    found.append(full)
                }
            }
            found.sort()
            for file in found { add(file: file) }
        }
        for path in paths {
            if path == "-" {
                inputs.append(Input(path: "-", kind: .standardInput))
                continue
            }
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
                if isDirectory.boolValue { addDirectory(path) } else { add(file: path) }
            } else if path.contains(where: { "*?[".contains($0) }) {
                let matches = glob(path)
                if matches.isEmpty {
                    missing.append(ValidationReport.FileReport(path: path, ioError: "no file matches this pattern"))
                }
                for match in matches {
                    if manager.fileExists(atPath: match, isDirectory: &isDirectory), isDirectory.boolValue {
                        addDirectory(match)
                    } else {
                        add(file: match)
                    }
                }
            } else {
                missing.append(ValidationReport.FileReport(path: path, ioError: "no such file or directory"))
            }
        }
        return (inputs, missing)
    }

    static func isLines(_ path: String) -> Bool {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        return name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson")
    }

    static func isSupported(_ path: String) -> Bool {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        return name.hasSuffix(".json") || name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson")
    }

    static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }
    }

    static func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JSONParseError(code: .io, message: "cannot read the file")
        }
        var bytes = [UInt8](data)
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            do {
                bytes = try Gzip.decompress(bytes)
            } catch {
                throw JSONParseError(code: .io, message: "\(error)")
            }
        }
        return bytes
    }

    // MARK: Running

    /// Validates every document of `paths` (files, folders, globs, `-`), in parallel, and reports in path
    /// order.
    ///
    /// - Parameter paths: the inputs.
    /// - Returns: the report; unreadable inputs are in it, not thrown.
    public func run(paths: [String]) -> ValidationReport {
        // Validation recurses with a document's depth (TrailSchema's StackGuard refuses what a stack cannot
        // hold), so the whole run happens on a thread with a 64 MiB stack, whatever thread called: a
        // document gets the same verdict from the tool, a test or an async caller.
        let worker = OrderedWorkers<ValidationReport>(count: 1, stackSize: 64 << 20)
        defer { worker.shutDown() }
        let run = self
        worker.submit { run.runOnLargeStack(paths: paths) }
        return worker.next()
    }

    private func runOnLargeStack(paths: [String]) -> ValidationReport {
        let (inputs, missing) = Self.expand(paths)
        var reports = [ValidationReport.FileReport?](repeating: nil, count: inputs.count)
        let documents = inputs.indices.filter { inputs[$0].kind == .document }
        var remaining = documents[...]
        // Documents are validated on the shared pool's threads (large stacks: deep documents recurse) and
        // their reports taken back in input order; `produce` and `consume` never throw.
        try? OrderedParallelMap.run(
            workers: min(configuration.jobs, max(1, documents.count)),
            produce: { remaining.popFirst() },
            transform: { index in (index, validateDocument(inputs[index].path)) },
            consume: { index, report in reports[index] = report }
        )
        for index in inputs.indices where inputs[index].kind != .document {
            reports[index] = validateLines(inputs[index])
        }
        return ValidationReport(files: missing + reports.compactMap { $0 })
    }

    /// Picks the schema for a document: the fixed one, or the most specific bundled schema that accepts it
    /// (or, when none does, the one it is closest to).
    func choose(for document: JSONValue) -> (Candidate, String) {
        if let fixed { return (fixed, "validated against \(fixed.name) (--schema)") }
        // The best fit by shape; among equal fits a schema that accepts the document, then the fewest errors.
        let scored = candidates.map { candidate in
            (candidate, candidate.fit(document), candidate.validator.isValid(document))
        }
        let bestFit = scored.map(\.1).max() ?? 0
        let tied = scored.filter { $0.1 == bestFit }
        if let accepted = tied.first(where: { $0.2 }) {
            let others = tied.filter { $0.2 && $0.0.name != accepted.0.name }.map(\.0.name)
            let also = others.isEmpty ? "" : " (equally valid against \(others.joined(separator: ", ")))"
            return (accepted.0, "detected \(accepted.0.name): its members fit that schema best\(also)")
        }
        let counted = tied.map { ($0.0, $0.0.validator.validate(document).errors.count) }
        let best = counted.min { ($0.1, $0.0.name) < ($1.1, $1.0.name) }!
        return (best.0, "detected \(best.0.name): its members fit that schema best, but it does not validate")
    }

    /// Checks one document. It parses the document into `tape` (only the parts the schema can look at, with a
    /// projection from ``JSONSchemaValidator/projection``) and checks it there; an invalid or malformed document
    /// is parsed again in full, to report its errors as plain parsing and evaluation describe them.
    func check(
        _ bytes: UnsafeBufferPointer<UInt8>,
        line: Int,
        schema: Candidate,
        projection: TapeProjection? = nil,
        tape: inout JSONTape
    ) -> ValidationReport.Failure? {
        let parsed = projection.map { tape.parse(bytes, projection: $0) } ?? tape.parse(bytes)
        if parsed, schema.validator.isValid(tape) { return nil }
        // The tape's verdict is the tree's (both parse alike, and evaluate alike): what is left is to describe
        // the failure, from one full parse.
        do {
            let result = schema.validator.validate(try JSONValue(parsing: bytes))
            return result.isValid ? nil : ValidationReport.Failure(line: line, errors: result.errors)
        } catch let error as JSONParseError {
            return parseFailure(error, line: line)
        } catch {
            return ValidationReport.Failure(line: line, errors: [], parseError: "\(error)")
        }
    }

    func parseFailure(_ error: JSONParseError, line: Int) -> ValidationReport.Failure {
        ValidationReport.Failure(
            line: line + error.line - 1,
            errors: [],
            parseError: "column \(error.column): invalid JSON: \(error.message)"
        )
    }

    func validateDocument(_ path: String) -> ValidationReport.FileReport {
        var report = ValidationReport.FileReport(path: path)
        let bytes: [UInt8]
        do {
            bytes = try Self.readBytes(path)
        } catch let error as JSONParseError {
            report.ioError = error.message
            return report
        } catch {
            report.ioError = "\(error)"
            return report
        }
        report.bytes = bytes.count
        report.documents = 1
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch let error as JSONParseError {
            report.failures.append(parseFailure(error, line: 1))
            return report
        } catch {
            report.ioError = "\(error)"
            return report
        }
        let (schema, explanation) = choose(for: document)
        report.schema = schema.name
        report.explanation = explanation
        if !schema.validator.isValid(document) {
            report.failures.append(.document(bytes, errors: schema.validator.validate(document).errors))
        }
        return report
    }

    func validateLines(_ input: Input) -> ValidationReport.FileReport {
        var report = ValidationReport.FileReport(path: input.path)
        let reader: NDJSONReader
        do {
            reader =
                input.kind == .standardInput
                ? NDJSONReader(fileDescriptor: 0, decompression: [.gzip])
                : try NDJSONReader(path: input.path, decompression: [.gzip])
        } catch let error as JSONParseError {
            report.ioError = error.message
            return report
        } catch {
            report.ioError = "\(error)"
            return report
        }
        // The first block decides the schema (and, for standard input, whether it is one document or lines).
        var first: NDJSONBlock
        do {
            first = try reader.nextBlock(maxBytes: Self.firstBlockBytes, maxLines: Self.firstBlockLines)
        } catch let error as JSONParseError {
            report.ioError = error.message
            return report
        } catch {
            report.ioError = "\(error)"
            return report
        }
        guard let head = first.lines.first else { return report }
        let firstDocument = try? JSONValue(parsing: first.bytes[head.range])
        if input.kind == .standardInput && firstDocument == nil {
            return validateWholeStream(first.separateLines, reader: reader, path: input.path)
        }
        let (schema, explanation) =
            firstDocument.map { choose(for: $0) }
            ?? (
                fixed ?? candidates[0], "the first line is not JSON; validated against \((fixed ?? candidates[0]).name)"
            )
        report.schema = schema.name
        report.explanation = explanation + (fixed == nil ? " (from line \(head.number); used for every line)" : "")

        // Lines are parsed only as far as the schema looks (the verdict is the same; see JSONProjection).
        let projection = TapeProjection(schema.validator.projection)
        // Blocks are read on this thread and checked on the workers; their outcomes come back in file order, and
        // a fixed number of blocks per worker is in flight, so memory does not grow with the file.
        var pending: NDJSONBlock? = first
        do {
            try OrderedParallelMap.run(
                workers: configuration.jobs,
                maxInFlight: Self.blocksInFlightPerWorker * configuration.jobs,
                produce: { () throws -> NDJSONBlock? in
                    if let block = pending {
                        pending = nil
                        return block
                    }
                    let block = try reader.nextBlock(maxBytes: Self.blockBytes, maxLines: Self.blockLines)
                    return block.isEmpty ? nil : block
                },
                transform: { block in check(block, schema: schema, projection: projection) },
                consume: { outcome in
                    report.documents += outcome.documents
                    report.bytes += outcome.bytes
                    report.failures += outcome.failures
                }
            )
        } catch {
            report.ioError = (error as? JSONParseError)?.message ?? "\(error)"
        }
        return report
    }

    /// The size of the first block, which decides the schema: small, so that checking starts early.
    static let firstBlockBytes = 256 << 10
    static let firstBlockLines = 1024
    /// The size of the following blocks.
    static let blockBytes = 1 << 20
    static let blockLines = 4096
    /// How many blocks each worker may be ahead of the output: enough that a worker the system has put aside
    /// for a while does not leave the others idle behind it, few enough to keep memory small.
    static let blocksInFlightPerWorker = 4

    /// What checking one block of lines found.
    struct BlockOutcome: Sendable {
        var documents = 0
        var bytes = 0
        var failures: [ValidationReport.Failure] = []
    }

    /// Checks every line of a block, in order.
    func check(_ block: NDJSONBlock, schema: Candidate, projection: TapeProjection) -> BlockOutcome {
        var outcome = BlockOutcome()
        outcome.documents = block.lines.count
        var tape = JSONTape()
        block.forEachLine { number, bytes in
            outcome.bytes += bytes.count + 1
            if let failure = check(bytes, line: number, schema: schema, projection: projection, tape: &tape) {
                outcome.failures.append(failure)
            }
        }
        return outcome
    }

    /// Standard input that is not one document per line: one (pretty-printed) document.
    func validateWholeStream(_ first: [NDJSONLine], reader: NDJSONReader, path: String) -> ValidationReport.FileReport {
        var report = ValidationReport.FileReport(path: path)
        // The document is put back together as the input has it: every line that the input ends with a line
        // break gets one (blank lines the reader skipped included), and a last line without one gets none, so
        // that a parse error is placed on the right line and describes the bytes that are really there.
        var bytes: [UInt8] = []
        var lineBreaks = 0
        func breakLines(upTo count: Int) {
            while lineBreaks < count {
                bytes.append(0x0A)
                lineBreaks += 1
            }
        }
        func append(_ line: NDJSONLine) {
            breakLines(upTo: line.number - 1)
            bytes += line.bytes
        }
        first.forEach(append)
        do {
            while let line = try reader.next() { append(line) }
        } catch {
            report.ioError = (error as? JSONParseError)?.message ?? "\(error)"
            return report
        }
        breakLines(upTo: reader.lastLineEndedWithBreak ? reader.linesRead : reader.linesRead - 1)
        report.bytes = bytes.count
        report.documents = 1
        do {
            let document = try JSONValue(parsing: bytes)
            let (schema, explanation) = choose(for: document)
            report.schema = schema.name
            report.explanation = explanation
            if !schema.validator.isValid(document) {
                report.failures.append(.document(bytes, errors: schema.validator.validate(document).errors))
            }
        } catch let error as JSONParseError {
            report.failures.append(parseFailure(error, line: 1))
        } catch {
            report.ioError = "\(error)"
        }
        return report
    }
}
