import ArgumentParser

/// `gloss serve user`: the server's accounts.
struct ServeUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the sync server's accounts.",
        subcommands: [ServeUserAdd.self, ServeUserList.self, ServeUserRemove.self])
}
