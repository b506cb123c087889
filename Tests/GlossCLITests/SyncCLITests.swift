import Foundation
import Testing

/// `gloss remote|sync|status|conflicts` end to end: real binaries, separate GLOSS_HOMEs, folder
/// remotes in temporary directories.
@Suite struct SyncCLITests {
    /// One library as a user has it.
    struct Home {
        let url: URL

        init(_ name: String) throws { url = try GlossBinary.temporaryHome(name) }

        @discardableResult
        func run(_ args: [String], stdin: String? = nil, expect status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> GlossResult {
            let result = try GlossBinary.run(args, home: url, stdin: stdin)
            #expect(result.status == status, "gloss \(args.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
            return result
        }

        func json(_ args: [String]) throws -> Any {
            let result = try run(args + ["--json"])
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
        }

        func addNote(_ text: String) throws -> String {
            let note = try run(["note", "add", "-", "--json"], stdin: text)
            let object = try JSONSerialization.jsonObject(with: Data(note.stdout.utf8)) as? [String: Any]
            return try #require(object?["id"] as? String)
        }

        func body(_ id: String) throws -> String? {
            (try json(["note", "show", id]) as? [String: Any])?["body"] as? String
        }

        func sync(_ remote: String? = nil) throws -> [String: Int] {
            let result = try run(["sync"] + (remote.map { [$0] } ?? []) + ["--json"])
            return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Int]) ?? [:]
        }

        func site() throws -> String {
            try #require((try json(["status"]) as? [String: Any])?["site"] as? String)
        }
    }

    static func folder() throws -> URL {
        try GlossBinary.temporaryHome("remote")
    }

    @Test func remotesAreManagedAndStatusCounts() throws {
        let a = try Home("a")
        let folder = try Self.folder()
        try a.run(["remote", "add", "usb", folder.path])
        try a.run(["remote", "add", "usb", folder.path], expect: 1)
        try a.run(["remote", "add", "bad name", folder.path], expect: 64)
        try a.run(["remote", "add", "web", "ftp://example.org/x"], expect: 1)
        let list = try a.json(["remote", "list"]) as? [[String: Any]]
        #expect(list?.count == 1)
        #expect(list?.first?["name"] as? String == "usb")
        #expect(list?.first?["url"] as? String == folder.path)
        #expect(list?.first?.keys.contains("lastSync") == true)
        _ = try a.addNote("hello\n")
        let before = try a.json(["status"]) as? [String: Any]
        let remotes = before?["remotes"] as? [[String: Any]]
        #expect((remotes?.first?["unpushed"] as? Int ?? 0) > 0)
        for bad in ["0", "5001", "many"] {
            let refused = try a.run(["sync", "--batch", bad], expect: 64)
            #expect(refused.stderr.contains("--batch"), "\(refused.stderr)")
        }
        let report = try a.sync()
        #expect(Set(report.keys) == ["pushed", "pulled", "conflicts"])
        #expect(report["pushed"] == remotes?.first?["unpushed"] as? Int)
        let after = try a.json(["status"]) as? [String: Any]
        #expect((after?["remotes"] as? [[String: Any]])?.first?["unpushed"] as? Int == 0)
        #expect((after?["remotes"] as? [[String: Any]])?.first?["lastSync"] as? String != nil)
        let mode = try FileManager.default.attributesOfItem(atPath: a.url.appendingPathComponent("remotes.json").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try a.run(["remote", "rm", "usb"])
        try a.run(["remote", "rm", "usb"], expect: 1)
        try a.run(["sync"], expect: 1)
    }

    @Test func concurrentEditsMergeOrConflictIdenticallyOnBothSides() throws {
        let a = try Home("a"), b = try Home("b")
        let folder = try Self.folder()
        for home in [a, b] { try home.run(["remote", "add", "f", folder.path]) }
        let (id, revision) = try SyncScenarios.mergeThenConflict(a, b)

        // Resolving on one side closes it everywhere.
        let keep = try #require(revision["id"] as? String)
        try a.run(["conflicts", "resolve", id, "--keep", "nonsense"], expect: 64)
        try a.run(["conflicts", "resolve", id, "--keep", keep])
        for home in [a, b] { _ = try home.sync() }
        #expect(try b.body(id) == revision["body"] as? String)
        #expect((try b.json(["conflicts"]) as? [Any])?.isEmpty == true)
    }

    @Test func deleteAgainstEditKeepsTheEditRestorable() throws {
        let a = try Home("a"), b = try Home("b")
        let folder = try Self.folder()
        for home in [a, b] { try home.run(["remote", "add", "f", folder.path]) }
        try SyncScenarios.deleteAgainstEdit(a, b)
    }

    @Test func relayThroughTwoFolders() throws {
        let a = try Home("a"), b = try Home("b"), c = try Home("c")
        let f1 = try Self.folder(), f2 = try Self.folder()
        try a.run(["remote", "add", "f1", f1.path])
        try b.run(["remote", "add", "f1", f1.path])
        try b.run(["remote", "add", "f2", "file://" + f2.path])
        try c.run(["remote", "add", "f2", f2.path])
        let id = try a.addNote("from a to c\n")
        let idC = try c.addNote("from c to a\n")
        // B syncs with both (no NAME): f1 then f2, so C's note reaches F1 on its second sync.
        for home in [a, c, b, b, a, c] { _ = try home.sync() }
        #expect(try c.body(id) == "from a to c\n")
        #expect(try a.body(idC) == "from c to a\n")
    }

    @Test func aCopiedLibraryNeverForksALog() throws {
        let a = try Home("a"), b = try Home("b")
        let folder = try Self.folder()
        try a.run(["remote", "add", "f", folder.path])
        try b.run(["remote", "add", "f", folder.path])
        _ = try a.addNote("before the copy\n")
        _ = try a.sync()
        // Copy A's library folder, as a backup restore or a cloned disk would.
        let copy = try Home("copy")
        try FileManager.default.copyItem(at: a.url, to: copy.url)
        let siteA = try a.site()
        _ = try copy.addNote("written in the copy\n")
        _ = try a.addNote("written in the original\n")
        _ = try a.sync()
        let copied = try GlossBinary.run(["sync", "--json"], home: copy.url)
        if copied.status == 0 {
            #expect(try copy.site() != siteA, "the copy wrote under the original's site id")
        } else {
            #expect(copied.status == 1)
            #expect(copied.stderr.contains("error: "))
            #expect(copied.stderr.lowercased().contains("copy"))
        }
        // The original keeps syncing normally.
        _ = try a.addNote("after the copy\n")
        _ = try a.sync()
        _ = try b.sync()
        let notes = try b.json(["note", "list"]) as? [[String: Any]] ?? []
        let bodies = Set(notes.compactMap { $0["body"] as? String })
        #expect(bodies.isSuperset(of: ["before the copy\n", "written in the original\n", "after the copy\n"]))
    }

    @Test func aKilledSyncResumesToTheSameState() throws {
        let a = try Home("a")
        let folder = try Self.folder()
        try a.run(["remote", "add", "f", folder.path])
        for i in 0..<60 { _ = try a.addNote("note \(i)\nwith two lines\n") }
        var rng = SystemRandomNumberGenerator()
        // Push with kills at random points, then finish.
        try Self.killAtRandom(a, times: 4, using: &rng)
        _ = try a.sync()
        // Two fresh libraries pull: one killed at random points, one not.
        let killed = try Home("killed"), clean = try Home("clean")
        for home in [killed, clean] { try home.run(["remote", "add", "f", folder.path]) }
        try Self.killAtRandom(killed, times: 4, using: &rng)
        _ = try killed.sync()
        _ = try clean.sync()
        let list = { (home: Home) in try home.run(["note", "list", "--json"]).stdout }
        #expect(try list(killed) == list(clean))
        #expect(try list(clean) == list(a))
        let again = try killed.sync()
        #expect(again["pushed"] == 0 && again["pulled"] == 0)
    }

    static func killAtRandom(_ home: Home, times: Int, using rng: inout SystemRandomNumberGenerator) throws {
        for _ in 0..<times {
            let process = Process()
            process.executableURL = GlossBinary.url
            process.arguments = ["sync", "--batch", "500"]  // many batches: kills land between and inside them
            process.environment = ["GLOSS_HOME": home.url.path, "HOME": home.url.deletingLastPathComponent().path, "NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0..<80_000, using: &rng))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    @Test func smallerBatchesOnRequest() throws {
        let a = try Home("a"), b = try Home("b")
        let folder = try Self.folder()
        for home in [a, b] { try home.run(["remote", "add", "f", folder.path]) }
        for i in 0..<3 { _ = try a.addNote("note \(i)\n") }
        let pushed = try a.json(["sync", "--batch", "1"]) as? [String: Int]
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(try a.site()).path)
            .filter { $0.hasSuffix(".json") }
        #expect(files.count == pushed?["pushed"])  // one change per batch file
        #expect(try b.json(["sync", "--batch", "2"]) as? [String: Int] == ["pushed": 0, "pulled": 3, "conflicts": 0])
    }

    @Test func damagedAndForeignFilesAreReportedNotApplied() throws {
        let a = try Home("a"), b = try Home("b")
        let folder = try Self.folder()
        for home in [a, b] { try home.run(["remote", "add", "f", folder.path]) }
        let id = try a.addNote("good\n")
        _ = try a.sync()
        let site = try a.site()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(site).path)
        let top = try #require(names.compactMap { Int($0.dropLast(5).split(separator: "-").last ?? "") }.max())
        // A damaged file continuing A's log, and a foreign "site" holding garbage.
        let damaged = String(format: "%012d-%012d.json", top + 1, top + 2)
        try Data("{\"format\":1,\"site\":\"x\",\"changes\":[]}".utf8).write(to: folder.appendingPathComponent(site).appendingPathComponent(damaged))
        let foreign = String(repeating: "f", count: 32)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(foreign), withIntermediateDirectories: false)
        try Data("garbage".utf8).write(to: folder.appendingPathComponent(foreign).appendingPathComponent("000000000001-000000000001.json"))
        let result = try GlossBinary.run(["sync"], home: b.url)
        #expect(result.stderr.contains(damaged))
        #expect(result.stderr.contains(foreign))
        #expect(try b.body(id) == "good\n")
        #expect((try b.json(["note", "list"]) as? [Any])?.count == 1)
        let status = try b.json(["status"]) as? [String: Any]
        #expect(status?["site"] as? String != foreign)
    }
}
