import ArgumentParser
import Foundation
import GlossServer

/// `gloss serve user add NAME --data DIR`: creates an account (and its empty vault).
struct ServeUserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add an account.",
        discussion: "The password is read from stdin when it is not a terminal, else prompted for twice.")

    @Argument(help: "The user name (letters, digits, '.', '_', '-').") var name: String
    @OptionGroup var store: ServerStoreOptions

    func validate() throws {
        do {
            try ServerStoreError.validateUserName(name)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        let store = try await store.openStore()
        if try await store.user(named: name) != nil {
            throw ServerStoreError.userExists(name)
        }
        let password = try PasswordPrompt.read(confirm: true)
        guard !password.isEmpty else {
            throw CLIError("the password is empty", hint: "give a password of at least one character")
        }
        let hash = try PasswordHasher().hash(password)
        _ = try await store.addUser(name: name, passwordHash: hash, createdAt: Date())
        try await store.close()
        print("added user \(name)")
    }
}
