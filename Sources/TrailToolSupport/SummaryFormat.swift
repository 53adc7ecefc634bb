package import ArgumentParser
package import TrailJSON

/// What `--format` means on every tool that writes something: the form of the summary it prints when done,
/// one line for a person (`text`) or one JSON object for a machine (`json`). File formats have their own
/// option (`trail-export --file-format`, `trail-archive --compression`).
package enum SummaryFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case text
    case json

    /// The help line every tool shows for `--format`.
    package static let help = ArgumentHelp("Summary format: text (one line) or json (one object on standard output).")

    /// Prints `text` or, as one line of JSON, `json`.
    ///
    /// - Parameters:
    ///   - text: the line for a person.
    ///   - json: the same facts for a machine.
    package func print(text: @autoclosure () -> String, json: @autoclosure () -> JSONValue) {
        switch self {
        case .text: Swift.print(text())
        case .json: Swift.print(json().serializedString())
        }
    }
}
