import ArgumentParser
import GlossServer

/// `gloss serve user rm NAME --data DIR`: removes an account, its tokens and its vault.
struct ServeUserRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove an account with its tokens and synced data.")

    @Argument(help: "The user name.") var name: String
    @OptionGroup var store: ServerStoreOptions

    func run() async throws {
        let store = try await store.openStore()
        let removed = try await store.removeUser(named: name)
        try await store.close()
        guard removed else { throw ServerStoreError.noSuchUser(name) }
        print("removed user \(name), its tokens and its synced data")
    }
}
