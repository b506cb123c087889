import ArgumentParser
import Foundation
import GlossSync

/// `gloss remote add NAME URL`
struct RemoteAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a remote: a folder (path or file:// URL) or a Gloss server (http(s):// URL).",
        discussion: """
            A folder (a USB stick, a Syncthing or Dropbox folder) is created when missing (its \
            parent must exist). A server (`gloss serve`) needs `gloss login NAME --user U` next; \
            for a server with a self-signed certificate give --ca-cert: the file is copied into \
            this library (to ca-certs/NAME.pem), so later moving it breaks nothing.
            """)

    @Argument(help: "A name for the remote.") var name: String
    @Argument(help: "A folder path, file:// URL, or server URL (https://host[:port]).") var url: String
    @Option(
        name: .customLong("ca-cert"),
        help: ArgumentHelp("A PEM CA certificate to trust for this https server (self-signed).", valueName: "file"))
    var caCert: String?

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
        if let caCert {
            guard normalized.hasPrefix("https://") else {
                throw ValidationError("--ca-cert is only for https:// remotes")
            }
            try CACertificate.install(from: caCert, libraryFolder: store.folder, remote: name)
        }
        try RemoteFactory.prepare(url: normalized, context: .init(libraryFolder: store.folder, remoteName: name))
        try store.add(RemoteConfig(name: name, url: normalized))
        print("added remote \(name) → \(normalized)")
    }
}
