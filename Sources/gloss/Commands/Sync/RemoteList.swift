import ArgumentParser
import Foundation
import GlossSync

/// `gloss remote list [--json]` → `[{"name","url","lastSync"}]`
struct RemoteList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List remotes.")

    @Flag(help: "Print JSON: [{\"name\",\"url\",\"lastSync\"}].") var json = false

    struct Item: Encodable {
        var name: String
        var url: String
        var lastSync: Date?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(url, forKey: .url)
            try c.encode(lastSync, forKey: .lastSync)  // explicit null when never synced
        }
        enum CodingKeys: String, CodingKey { case name, url, lastSync }
    }

    func run() throws {
        let remotes = try SyncSupport.remoteStore().all()
        if json {
            try JSONOutput.print(remotes.map { Item(name: $0.name, url: $0.url, lastSync: $0.lastSync) })
            return
        }
        let width = remotes.map(\.name.count).max() ?? 0
        for remote in remotes {
            let synced = remote.lastSync.map { "last sync \($0.formatted(.iso8601))" } ?? "never synced"
            print("\(Terminal.style(remote.name.padding(toLength: width, withPad: " ", startingAt: 0), "1"))  \(remote.url)  \(synced)")
        }
    }
}
