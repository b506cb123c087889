import ArgumentParser
import Foundation
import GlossSync

/// `gloss login NAME --user U`: logs in to a server remote and keeps the token in the library.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a server remote (gloss serve).",
        discussion: """
            The password is read from stdin when it is not a terminal, else prompted for without \
            echo. The token the server returns is kept in this library's credentials.json (mode \
            0600); the password is not stored. Refused over plain http unless the server is on \
            this machine (loopback): use https.
            """)

    @Argument(help: "The remote's name (see `gloss remote list`).") var name: String
    @Option(help: "The user name on the server.") var user: String

    func run() async throws {
        let folder = SyncSupport.remoteStore().folder
        let remote = try HTTPRemote.configured(name: name, libraryFolder: folder, requireLogin: false)
        guard remote.allowsPasswords else {
            throw CLIError(
                "refusing to send a password over plain http to \(remote.baseURL), which is not this machine",
                hint: "serve with --tls-cert/--tls-key and add the remote with an https:// URL")
        }
        let password = try PasswordPrompt.read(prompt: "Password for \(user) on \(name): ", confirm: false)
        guard !password.isEmpty else { throw CLIError("the password is empty", hint: "type the account's password") }
        let login = try await remote.login(user: user, password: password)
        try CredentialStore(folder: folder).save(
            Credential(remote: name, url: remote.baseURL, user: login.user, token: login.token, expiresAt: login.expiresAt))
        for warning in remote.warnings { Terminal.warn(warning) }
        print("logged in to \(name) as \(login.user) (until \(login.expiresAt.formatted(.iso8601)))")
    }
}
