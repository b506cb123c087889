import ArgumentParser

extension Gloss {
    /// Subcommands of this area, in the order `gloss --help` lists them.
    static var serverCommands: [any ParsableCommand.Type] { [Serve.self] }
}
