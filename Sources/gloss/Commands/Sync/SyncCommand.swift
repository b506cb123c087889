import ArgumentParser
import Foundation
import GlossStorage
import GlossSync

/// `gloss sync [NAME] [--json]` → `{"pushed","pulled","conflicts"}`
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Exchange changes with one remote, or with every remote.",
        discussion: """
            Pushes every change the remote lacks (this library's and those it relays), then pulls \
            and applies what this library lacks. Safe to interrupt and rerun. Prints the changes \
            pushed and pulled, and how many notes have conflict revisions (see `gloss conflicts`).
            """)

    @Argument(help: "The remote to sync with (default: every remote).") var name: String?
    @Flag(help: "Print JSON: {\"pushed\",\"pulled\",\"conflicts\"}.") var json = false
    @Option(help: ArgumentHelp(
        "Most changes per batch sent or fetched, 1–5000 (smaller on a slow or flaky link).",
        valueName: "N"))
    var batch: Int = SyncEngine.Options().maxBatchCount

    func validate() throws {
        guard (1...SyncEngine.Options().maxBatchCount).contains(batch) else {
            throw ValidationError("--batch must be between 1 and \(SyncEngine.Options().maxBatchCount), not \(batch)")
        }
    }

    struct Output: Encodable {
        var pushed: Int
        var pulled: Int
        var conflicts: Int
    }

    func run() async throws {
        let store = SyncSupport.remoteStore()
        let remotes = try name.map { [try store.remote(named: $0)] } ?? store.all()
        guard !remotes.isEmpty else {
            throw CLIError("this library has no remotes", hint: "add one with `gloss remote add NAME FOLDER`")
        }
        let library = try SyncSupport.openLibrary()
        let engine = SyncEngine(library: library, options: .init(maxBatchCount: batch))
        var total = Output(pushed: 0, pulled: 0, conflicts: 0)
        var warnings: [String] = []
        var failure: (any Error)?
        for config in remotes {
            do {
                let remote = try RemoteFactory.make(
                    url: config.url, context: .init(libraryFolder: store.folder, remoteName: config.name))
                let report = try await engine.sync(with: remote, progress: SyncSupport.progressPrinter(label: config.name))
                var updated = config
                updated.vector = report.remoteVector
                updated.lastSync = Date()
                try store.update(updated)
                total.pushed += report.pushed
                total.pulled += report.pulled
                for warning in report.warnings where !warnings.contains(warning) { warnings.append(warning) }
                if !json { print("\(config.name): pushed \(report.pushed), pulled \(report.pulled)") }
            } catch {
                if remotes.count == 1 { throw error }
                Terminal.writeStderr("error: \(config.name): \(error)\n")
                failure = error
            }
        }
        for warning in warnings { Terminal.warn(warning) }
        total.conflicts = try library.conflicts().count
        if json {
            try JSONOutput.print(total)
        } else if total.conflicts > 0 {
            print("\(total.conflicts) note\(total.conflicts == 1 ? "" : "s") with conflicts (see `gloss conflicts`)")
        }
        if failure != nil { throw ExitCode(1) }
    }
}
