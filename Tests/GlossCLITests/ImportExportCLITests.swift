import Foundation
import Testing

/// `gloss export` (Markdown and the JSON backup) and `gloss import --backup` (issue 3).
@Suite struct ImportExportCLITests {
    func run(_ args: [String], _ home: URL, stdin: String? = nil) throws -> GlossResult {
        try GlossBinary.run(args, home: home, stdin: stdin)
    }

    func object(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// `--json` output with volatile formatting removed, for comparing two libraries.
    func canonical(_ text: String) throws -> String {
        let value = try object(text)
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    @Test func backupRestoresEverythingUnderANewSite() throws {
        let server = try ImportCLITests.server()
        defer { server.stop() }
        let home = try GlossBinary.temporaryHome("original")
        let folder = home.deletingLastPathComponent()

        // A library with two articles, tags, an anchored note, a highlight and a free note.
        let first = try run(["import", server.url("/second").absoluteString, "--tag", "soft power", "--json"], home)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try run(["import", server.url(ImportCLITests.samplePath).absoluteString, "--json"], home)
        #expect(second.status == 0, "\(second.stderr)")
        let articleId = try #require((try object(first.stdout) as? [String: Any])?["id"] as? String)
        let note = try run([
            "note", "add", "Education as influence.", "--article", articleId,
            "--quote", "Cultural exchange, education and development aid", "--tag", "idea",
        ], home)
        #expect(note.status == 0, "\(note.stderr)")
        #expect(try run(["highlight", articleId, "it tends to outlast hard power"], home).status == 0)
        #expect(try run(["note", "add", "A note on nothing in particular", "--tag", "misc"], home).status == 0)
        #expect(try run(["mark-read", articleId], home).status == 0)

        let backupFile = folder.appendingPathComponent("backup.json")
        let exported = try run(["export", "--format", "json", "--out", backupFile.path], home)
        #expect(exported.status == 0, "\(exported.stderr)")
        let backup = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: backupFile)) as? [String: Any])
        #expect(backup["format"] as? String == "gloss-backup")
        let originalSite = try #require(backup["site"] as? String)
        let changes = try #require(backup["changes"] as? [[String: Any]])
        #expect(!changes.isEmpty)
        #expect(changes.allSatisfy { $0["site"] as? String == originalSite && $0["hlc"] != nil && $0["seq"] != nil })

        // Restore into an empty library.
        let restoredHome = folder.appendingPathComponent("restored")
        let restored = try run(["import", "--backup", backupFile.path], restoredHome)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("restored \(changes.count) changes from 1 site"))
        let newSite = try #require(restored.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(newSite != originalSite)
        #expect(newSite.count == originalSite.count)

        // Every article, note, anchor and tag is back.
        for command in [["list", "--json"], ["list", "--archived", "--json"], ["note", "list", "--json"], ["tags", "--json"]] {
            let before = try run(command, home)
            let after = try run(command, restoredHome)
            #expect(before.status == 0 && after.status == 0, "\(command): \(after.stderr)")
            #expect(try canonical(before.stdout) == canonical(after.stdout), "\(command)")
        }
        let listed = try #require(try object(try run(["list", "--json"], home).stdout) as? [[String: Any]])
        #expect(listed.count == 2)
        for article in listed {
            let id = try #require(article["id"] as? String)
            let before = try run(["show", id, "--json"], home)
            let after = try run(["show", id, "--json"], restoredHome)
            #expect(try canonical(before.stdout) == canonical(after.stdout))
        }
        let shown = try #require(try object(try run(["show", articleId, "--json"], restoredHome).stdout) as? [String: Any])
        let notes = try #require(shown["notes"] as? [[String: Any]])
        #expect(notes.count == 2)
        #expect(notes.contains { ($0["anchor"] as? [String: Any])?["exact"] as? String == "Cultural exchange, education and development aid" && $0["tags"] as? [String] == ["idea"] })

        // New writes in the restored library use its own site; restoring again changes nothing.
        #expect(try run(["mark-read", articleId, "--undo"], restoredHome).status == 0)
        let log = try run(["log", "--json"], restoredHome)
        #expect(log.stdout.contains(newSite))
        let twice = try run(["import", "--backup", backupFile.path], restoredHome)
        #expect(twice.status == 0)
        #expect(twice.stdout.contains("restored 0 changes"))
    }

    @Test func markdownExportIsOneFilePerArticle() throws {
        let server = try ImportCLITests.server()
        defer { server.stop() }
        let home = try GlossBinary.temporaryHome()
        let imported = try run(["import", server.url("/second").absoluteString, "--tag", "asia", "--json"], home)
        let id = try #require((try object(imported.stdout) as? [String: Any])?["id"] as? String)
        #expect(try run(["note", "add", "Worth quoting.", "--article", id, "--quote", "Soft power is the ability"], home).status == 0)
        let out = home.deletingLastPathComponent().appendingPathComponent("vault")
        let exported = try run(["export", "--format", "markdown", "--out", out.path], home)
        #expect(exported.status == 0, "\(exported.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(files == ["A second article on soft power.md"])
        let text = try String(contentsOf: out.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"A second article on soft power\"\nurl: \"\(server.url("/second").absoluteString)\"\n"))
        #expect(text.contains("tags: [\"asia\"]\n"))
        #expect(text.contains("\n> Soft power is the ability\n\nWorth quoting.\n"))
    }

    @Test func refusesABadBackup() throws {
        let home = try GlossBinary.temporaryHome()
        let file = home.deletingLastPathComponent().appendingPathComponent("not-a-backup.json")
        try Data("{\"hello\": 1}".utf8).write(to: file)
        let result = try run(["import", "--backup", file.path], home)
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(file.path) is not a Gloss backup (make one with gloss export --format json --out FILE)\n")
        let usage = try run(["import", "--backup", file.path, "https://example.com/"], home)
        #expect(usage.status == 64)
    }
}
