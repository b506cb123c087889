import ArgumentParser
import GlossSync

/// `gloss remote rm NAME`: forgets a remote (its contents are left alone).
struct RemoteRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove a remote from this library (its contents are left alone).")

    @Argument(help: "The remote's name.") var name: String

    func run() throws {
        try SyncSupport.remoteStore().remove(named: name)
        print("removed remote \(name)")
    }
}
