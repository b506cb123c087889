import ArgumentParser

/// `gloss remote add|list|rm`: the places this library syncs with.
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Manage the remotes this library syncs with.",
        subcommands: [RemoteAdd.self, RemoteList.self, RemoteRemove.self])
}
