import ArgumentParser
import Foundation
import GlossStorage
import GlossSync

/// `gloss status [--json]` → `{"site","remotes":[{"name","url","unpushed","lastSync","user"}]}`
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this library's site id and, per remote, the changes not yet pushed.",
        discussion: "Counts are against what each remote held at the last sync; no network is used.")

    @Flag(help: "Print JSON: {\"site\",\"remotes\":[{\"name\",\"url\",\"unpushed\",\"lastSync\",\"user\"}]}.") var json = false

    struct Output: Encodable {
        struct Remote: Encodable {
            var name: String
            var url: String
            var unpushed: Int
            var lastSync: Date?
            /// For a server remote: the user logged in (null when not logged in, or a folder).
            var user: String?

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(name, forKey: .name)
                try c.encode(url, forKey: .url)
                try c.encode(unpushed, forKey: .unpushed)
                try c.encode(lastSync, forKey: .lastSync)
                try c.encode(user, forKey: .user)
            }
            enum CodingKeys: String, CodingKey { case name, url, unpushed, lastSync, user }
        }
        var site: String
        var remotes: [Remote]
    }

    func run() throws {
        let library = try SyncSupport.openLibrary()
        let engine = SyncEngine(library: library)
        let store = SyncSupport.remoteStore()
        let credentials = CredentialStore(folder: store.folder)
        let remotes = try store.all().map { config in
            Output.Remote(
                name: config.name, url: config.url, unpushed: try engine.unpushed(comparedTo: config.vector),
                lastSync: config.lastSync, user: try credentials.credential(remote: config.name, url: config.url)?.user)
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
            let login = remote.user.map { "  logged in as \($0)" } ?? (remote.url.hasPrefix("http") ? "  not logged in" : "")
            print("\(Terminal.style(remote.name, "1"))  \(remote.url)  \(remote.unpushed) unpushed  \(synced)\(login)")
        }
    }
}
