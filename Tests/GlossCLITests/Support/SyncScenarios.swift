import Foundation
import Testing

/// Scenarios every transport must pass, run by the folder-remote suite (SyncCLITests) and the
/// server suite (ServerSyncCLITests) on two libraries already set up with the same remote.
enum SyncScenarios {
    typealias Home = SyncCLITests.Home

    /// Concurrent edits of different lines merge on both sides; edits of the same line leave one
    /// body and one conflict revision, identical on both sides. Returns the note and its one
    /// conflict revision (`gloss conflicts --json`), for the caller to resolve or inspect.
    static func mergeThenConflict(_ a: Home, _ b: Home) throws -> (id: String, revision: [String: Any]) {
        let id = try a.addNote("title\n\nfirst line\n\nsecond line\n")
        _ = try a.sync()
        _ = try b.sync()
        #expect(try b.body(id) == "title\n\nfirst line\n\nsecond line\n")

        // Different lines: merged on both sides.
        try a.run(["note", "edit", id, "-"], stdin: "title\n\nFIRST (a)\n\nsecond line\n")
        try b.run(["note", "edit", id, "-"], stdin: "title\n\nfirst line\n\nSECOND (b)\n")
        for home in [a, b, a] { _ = try home.sync() }
        #expect(try a.body(id) == "title\n\nFIRST (a)\n\nSECOND (b)\n")
        #expect(try b.body(id) == "title\n\nFIRST (a)\n\nSECOND (b)\n")
        #expect((try a.json(["conflicts"]) as? [Any])?.isEmpty == true)

        // Same line: one body plus one conflict revision, identical on both sides.
        try a.run(["note", "edit", id, "-"], stdin: "title by a\n\nFIRST (a)\n\nSECOND (b)\n")
        try b.run(["note", "edit", id, "-"], stdin: "title by b\n\nFIRST (a)\n\nSECOND (b)\n")
        var report: [String: Int] = [:]
        for home in [a, b, a] { report = try home.sync() }
        #expect(report["conflicts"] == 1)
        let conflictsA = try a.run(["conflicts", "--json"]).stdout
        #expect(conflictsA == (try b.run(["conflicts", "--json"]).stdout))
        let list = try #require(try JSONSerialization.jsonObject(with: Data(conflictsA.utf8)) as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list.first?["noteId"] as? String == id)
        let revisions = try #require(list.first?["revisions"] as? [[String: Any]])
        #expect(revisions.count == 1)
        let revision = try #require(revisions.first)
        #expect(Set([list[0]["body"] as? String, revision["body"] as? String])
            == ["title by a\n\nFIRST (a)\n\nSECOND (b)\n", "title by b\n\nFIRST (a)\n\nSECOND (b)\n"])
        #expect(Set(revision.keys) == ["id", "body", "site", "hlc"])
        #expect(try a.body(id) == b.body(id))
        #expect(try a.run(["note", "list", "--json"]).stdout == b.run(["note", "list", "--json"]).stdout)
        return (id, revision)
    }

    /// A delete on one side against an edit on the other keeps the edit: the note shows the
    /// edited body on both sides and, if it landed in the trash, restores with it.
    static func deleteAgainstEdit(_ a: Home, _ b: Home) throws {
        let id = try a.addNote("keep me\n")
        _ = try a.sync()
        _ = try b.sync()
        try a.run(["note", "rm", id])
        try b.run(["note", "edit", id, "-"], stdin: "keep me, edited\n")
        for home in [a, b, a] { _ = try home.sync() }
        for home in [a, b] { #expect(try home.body(id) == "keep me, edited\n") }
        #expect(try a.run(["note", "list", "--json"]).stdout == b.run(["note", "list", "--json"]).stdout)
        #expect((try a.json(["trash"]) as? [Any])?.count == (try b.json(["trash"]) as? [Any])?.count)
        let trash = try a.json(["trash"]) as? [[String: Any]] ?? []
        let live = try a.json(["note", "list"]) as? [[String: Any]] ?? []
        #expect(trash.contains { $0["id"] as? String == id } || live.contains { $0["id"] as? String == id })
        if trash.contains(where: { $0["id"] as? String == id }) {
            try a.run(["restore", id])
            _ = try a.sync()
            _ = try b.sync()
        }
        #expect((try b.json(["note", "list"]) as? [[String: Any]] ?? []).contains { $0["id"] as? String == id })
        #expect(try b.body(id) == "keep me, edited\n")
    }
}
