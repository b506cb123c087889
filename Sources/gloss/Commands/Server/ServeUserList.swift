import ArgumentParser
import Foundation
import GlossServer

/// `gloss serve user list [--json] --data DIR`.
struct ServeUserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")

    @OptionGroup var store: ServerStoreOptions
    @Flag(help: "Print JSON: [{name, createdAt, sites, changes}].") var json = false

    func run() async throws {
        let store = try await store.openStore()
        let users = try await store.userSummaries()
        try await store.close()
        if json {
            try JSONOutput.print(users)
            return
        }
        if users.isEmpty {
            print("no users (add one with `gloss serve user add NAME --data DIR`)")
            return
        }
        let width = max(4, users.map(\.name.count).max() ?? 0)
        let dateFormat = ISO8601DateFormatter()
        print(Terminal.style("NAME".padding(toLength: width, withPad: " ", startingAt: 0), "1")
            + "  " + Terminal.style("SITES  CHANGES  CREATED", "1"))
        for user in users {
            let sites = String(user.sites).leftPadded(5)
            let changes = String(user.changes).leftPadded(7)
            print("\(user.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(sites)  \(changes)  \(dateFormat.string(from: user.createdAt))")
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
