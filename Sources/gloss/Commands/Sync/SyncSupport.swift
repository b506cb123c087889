import Foundation
import GlossStorage
import GlossSync

/// What the sync commands share: the library, its remotes, and progress on a terminal.
enum SyncSupport {
    static func openLibrary() throws -> Library {
        try Library.open(folder: LibraryLocation.folder())
    }

    static func remoteStore() -> RemoteStore {
        RemoteStore(folder: LibraryLocation.folder())
    }

    /// A progress line on stderr, only on a terminal, redrawn at most every 1% and only for
    /// syncs big enough to notice.
    static func progressPrinter(label: String) -> @Sendable (SyncEngine.Progress) -> Void {
        guard Terminal.stderrIsTerminal else { return { _ in } }
        let last = LockedPercent()
        return { progress in
            guard progress.total >= 500 else { return }
            let percent = progress.done * 100 / max(1, progress.total)
            guard last.advance(to: "\(progress.phase.rawValue) \(percent)") else { return }
            let line = "\r\(label): \(progress.phase.rawValue) \(progress.done)/\(progress.total) (\(percent)%)"
            Terminal.writeStderr(progress.done == progress.total ? line + "\n" : line)
        }
    }

    /// The last step drawn, so a line is redrawn only when it changes.
    final class LockedPercent: @unchecked Sendable {
        private let lock = NSLock()
        private var value = ""
        func advance(to percent: String) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if percent == value { return false }
            value = percent
            return true
        }
    }
}
