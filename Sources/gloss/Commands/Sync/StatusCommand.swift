import ArgumentParser
import Foundation
import GlossStorage
import GlossSync

/// `gloss status [--json]` → `{"site","remotes":[{"name","url","unpushed","lastSync"}]}`
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this library's site id and, per remote, the changes not yet pushed.",
        discussion: "Counts are against what each remote held at the last sync; no network is used.")

    @Flag(help: "Print JSON: {\"site\",\"remotes\":[{\"name\",\"url\",\"unpushed\",\"lastSync\"}]}.") var json = false

    struct Output: Encodable {
        struct Remote: Encodable {
            var name: String
            var url: String
            var unpushed: Int
            var lastSync: Date?

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(name, forKey: .name)
                try c.encode(url, forKey: .url)
                try c.encode(unpushed, forKey: .unpushed)
                try c.encode(lastSync, forKey: .lastSync)
            }
            enum CodingKeys: String, CodingKey { case name, url, unpushed, lastSync }
        }
        var site: String
        var remotes: [Remote]
    }

    func run() throws {
        let library = try SyncSupport.openLibrary()
        let engine = SyncEngine(library: library)
        let remotes = try SyncSupport.remoteStore().all().map { config in
            Output.Remote(
                name: config.name, url: config.url, unpushed: try engine.unpushed(comparedTo: config.vector),
                lastSync: config.lastSync)
        }
        let output = Output(site: try library.site(), remotes: remotes)
        if json {
            try JSONOutput.print(output)
            return
        }
        print("site \(output.site)")
        if remotes.isEmpty { print("no remotes (add one with `gloss remote add NAME FOLDER`)") }
        for remote in remotes {
            let synced = remote.lastSync.map { "last sync \($0.formatted(.iso8601))" } ?? "never synced"
            print("\(Terminal.style(remote.name, "1"))  \(remote.url)  \(remote.unpushed) unpushed  \(synced)")
        }
    }
}
