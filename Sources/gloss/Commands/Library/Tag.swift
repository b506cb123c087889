import ArgumentParser

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add or remove tags on a note or an article.", subcommands: [TagAddCommand.self, TagRemoveCommand.self])
}
