internal import Foundation
private import Synchronization
internal import TrailJSON

/// One live status line on standard error, for `trail-archive`, `trail-verify` and `trail-export`: shown
/// only when standard error is a terminal, redrawn in place at most ten times a second, and cleared
/// before the summary is printed. Off a terminal it prints nothing, so logs and pipes stay clean.
final class ProgressLine: Sendable {
    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
    }

    private let tool: String
    private let enabled: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    /// Creates the line.
    ///
    /// - Parameters:
    ///   - tool: the tool's name, the line's prefix.
    ///   - enabled: whether to draw; by default, whether standard error is a terminal.
    init(tool: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.tool = tool
        self.enabled = enabled
    }

    /// Redraws the line with `status` (control characters escaped), unless it was drawn less than 100 ms ago.
    func update(_ status: String) {
        guard enabled else { return }
        state.withLock { state in
            let now = ContinuousClock.now
            if let last = state.lastDraw, last.duration(to: now) < .milliseconds(100) { return }
            state.lastDraw = now
            state.drawn = true
            let seconds = started.duration(to: now).components.seconds
            Self.write("\r\u{1B}[K\(tool): \(TerminalText.escapedControls(status)) (\(seconds) s)")
        }
    }

    /// Reports a record count with its rate.
    func update(_ phase: String, path: String, records: Int) {
        guard enabled else { return }
        let duration = started.duration(to: .now)
        let elapsed = max(0.001, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        update("\(phase) \(path): \(records) records, \(Int(Double(records) / elapsed))/s")
    }

    /// Clears the line, if one was drawn.
    func finish() {
        guard enabled else { return }
        state.withLock { state in
            if state.drawn { Self.write("\r\u{1B}[K") }
            state.drawn = false
        }
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
