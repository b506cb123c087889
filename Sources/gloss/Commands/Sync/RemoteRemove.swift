import ArgumentParser
import GlossSync

/// `gloss remote rm NAME`: forgets a remote (its contents are left alone).
struct RemoteRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove a remote from this library (its contents are left alone).")

    @Argument(help: "The remote's name.") var name: String

    func run() throws {
        let store = SyncSupport.remoteStore()
        try store.remove(named: name)
        // Its login and CA certificate belong to it (the token is not revoked: `gloss logout` does that).
        try CredentialStore(folder: store.folder).remove(remote: name)
        CACertificate.remove(libraryFolder: store.folder, remote: name)
        print("removed remote \(name)")
    }
}
