import ArgumentParser

extension Gloss {
    /// Subcommands of this area, in the order `gloss --help` lists them.
    static var syncCommands: [any ParsableCommand.Type] {
        [RemoteCommand.self, LoginCommand.self, LogoutCommand.self, SyncCommand.self, StatusCommand.self, ConflictsCommand.self]
    }
}
