import ArgumentParser
import Foundation
import GlossSync

/// `gloss remote add NAME URL`
struct RemoteAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a remote: a folder path or file:// URL (a USB stick, a Syncthing or Dropbox folder).",
        discussion: "The folder is created when missing (its parent must exist).")

    @Argument(help: "A name for the remote.") var name: String
    @Argument(help: "A folder path or file:// URL.") var url: String

    func validate() throws {
        guard RemoteStore.isValidName(name) else {
            throw ValidationError("invalid remote name '\(name)': use 1–64 letters, digits, '.', '_' or '-'")
        }
    }

    func run() throws {
        let store = SyncSupport.remoteStore()
        let normalized = try RemoteFactory.normalize(url, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        if try store.all().contains(where: { $0.name == name }) {
            throw SyncError(.config, "a remote named \(name) exists", hint: "pick another name or `gloss remote rm` it first")
        }
        try RemoteFactory.prepare(url: normalized, context: .init(libraryFolder: store.folder, remoteName: name))
        try store.add(RemoteConfig(name: name, url: normalized))
        print("added remote \(name) → \(normalized)")
    }
}
