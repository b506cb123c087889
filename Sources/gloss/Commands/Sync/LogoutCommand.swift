import ArgumentParser
import Foundation
import GlossSync

/// `gloss logout NAME`: revokes the token on the server and forgets it here.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Log out of a server remote: revoke the token there and delete it here.",
        discussion: """
            When the server cannot be reached the token is still deleted here, with a warning: it \
            stays valid on the server until it expires.
            """)

    @Argument(help: "The remote's name.") var name: String

    func run() async throws {
        let folder = SyncSupport.remoteStore().folder
        let credentials = CredentialStore(folder: folder)
        let remote = try HTTPRemote.configured(name: name, libraryFolder: folder, requireLogin: false)
        guard let credential = remote.credential else {
            // A login made for an earlier URL of this name is useless: drop it quietly.
            try credentials.remove(remote: name)
            throw CLIError("not logged in to \(name)", hint: "nothing to do; log in with `gloss login \(name) --user USER`")
        }
        do {
            try await remote.logout()
        } catch let error as SyncError where error.kind == .unavailable {
            try credentials.remove(remote: name)
            Terminal.warn(
                "\(error.message); the token was deleted here but stays valid on the server until \(credential.expiresAt.formatted(.iso8601))"
                    + " (log in and out again when the server is back to revoke it now)")
            print("logged out of \(name) (locally only)")
            return
        }
        try credentials.remove(remote: name)
        print("logged out of \(name)")
    }
}
