/// The outcome of checking a ``SigstoreBundle``: every check that failed, each with a message naming it.
///
/// An attestation that fails a check is a result, not an error; only unreadable input throws.
public struct AttestationVerification: Sendable, Equatable {
    /// A check made on a bundle, in the order they are made.
    public enum Check: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// The bundle's `mediaType` is the Sigstore bundle v0.3 one.
        case mediaType = "media type"
        /// The DSSE envelope carries exactly one signature.
        case signatureCount = "signature count"
        /// The bundle's public-key hint, and the signature's key id, name the given key.
        case keyHint = "key"
        /// The signature verifies with the given key over the pre-authentication encoding.
        case signature = "signature"
        /// The payload is an in-toto Statement v1.
        case statement = "statement"
        /// The statement's predicate type is PromptTrail's archive predicate.
        case predicateType = "predicate type"
        /// The statement's subjects are the expected files, with the expected digests.
        case subjects = "subjects"

        public var description: String { rawValue }
    }

    /// One failed check.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        /// The check that failed.
        public var check: Check
        /// What differs, e.g. `unknown predicate type https://example.com/other`.
        public var message: String

        /// Creates a failure.
        ///
        /// - Parameters:
        ///   - check: the check that failed.
        ///   - message: what differs.
        public init(check: Check, message: String) {
            self.check = check
            self.message = message
        }

        /// `check: message`, e.g. `signature: the DSSE signature does not verify …`.
        public var description: String { "\(check): \(message)" }
    }

    /// The failed checks, in the order the checks are made; empty when the bundle is valid.
    public var failures: [Failure]
    /// The statement the bundle carries, when its payload is one (whether or not the signature verifies).
    public var statement: InTotoStatement?

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - failures: the failed checks.
    ///   - statement: the statement read from the payload, if any.
    public init(failures: [Failure], statement: InTotoStatement?) {
        self.failures = failures
        self.statement = statement
    }

    /// Whether every check passed.
    public var isValid: Bool { failures.isEmpty }

    /// The failures of one check.
    ///
    /// - Parameter check: the check.
    /// - Returns: its failures, possibly none.
    public func failures(of check: Check) -> [Failure] {
        failures.filter { $0.check == check }
    }
}
