import ArgumentParser
import Foundation
import GlossServer

/// Where a server keeps its accounts and vaults: the one place a store is chosen, shared by
/// `gloss serve` and `gloss serve user …`. (`--database postgres://…` joins `--data` here.)
struct ServerStoreOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("The server's data directory (SQLite store).", valueName: "dir"))
    var data: String?

    func validate() throws {
        if data == nil {
            throw ValidationError("give the server's store with --data DIR")
        }
    }

    func openStore() throws -> any ServerStore {
        guard let data else { throw ValidationError("give the server's store with --data DIR") }
        return try SQLiteServerStore(directory: URL(fileURLWithPath: data, isDirectory: true))
    }

    /// A description of the store for logs and messages.
    var location: String { data ?? "" }
}
