import Foundation
import GlossStorage
import Synchronization
import Testing

/// `gloss` library commands, run as a built binary in a temporary GLOSS_HOME (issue 2).
@Suite struct LibraryCLITests {
    func run(_ args: [String], _ home: URL, stdin: String? = nil, environment: [String: String] = [:]) throws -> GlossResult {
        try GlossBinary.run(args, home: home, environment: environment, stdin: stdin)
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func notesLifecycleThroughTheCLI() throws {
        let home = try GlossBinary.temporaryHome()
        let initialized = try run(["init"], home)
        #expect(initialized.status == 0)
        #expect(initialized.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == home.path)
        #expect(try run(["init"], home).status == 0)  // idempotent

        let added = try run(["note", "add", "Reading notes on soft power", "--tag", "asia", "--tag", "politics", "--json"], home)
        #expect(added.status == 0, "\(added.stderr)")
        let note = try #require(try json(added.stdout) as? [String: Any])
        #expect(Set(note.keys) == ["id", "body", "articleId", "anchor", "tags", "createdAt", "updatedAt"])
        #expect(note["body"] as? String == "Reading notes on soft power")
        #expect(note["tags"] as? [String] == ["asia", "politics"])
        #expect(note["anchor"] is NSNull && note["articleId"] is NSNull)
        #expect((note["createdAt"] as? String)?.hasSuffix("Z") == true)
        let id = try #require(note["id"] as? String)

        let fromStdin = try run(["note", "add", "-"], home, stdin: "東京都の会議のメモ\n")
        #expect(fromStdin.status == 0)
        let second = fromStdin.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(second.count == 36)

        let fromEditor = try run(["note", "add"], home, environment: ["EDITOR": "printf 'written in the editor' >"])
        #expect(fromEditor.status == 0, "\(fromEditor.stderr)")

        #expect(try run(["note", "edit", String(id.prefix(8)), "Reading notes on soft power, revised"], home).status == 0)
        let shown = try #require(try json(try run(["note", "show", String(id.prefix(6)), "--json"], home).stdout) as? [String: Any])
        #expect(shown["body"] as? String == "Reading notes on soft power, revised")

        let human = try run(["note", "list"], home)
        #expect(human.stdout.split(separator: "\n").count == 3)
        #expect(human.stdout.contains("#asia"))
        #expect(!human.stdout.contains("\u{1B}["))  // no colour in a pipe

        let tagged = try #require(try json(try run(["note", "list", "--tag", "asia", "--json"], home).stdout) as? [[String: Any]])
        #expect(tagged.map { $0["id"] as? String } == [id])

        #expect(try run(["tag", "add", second, "japan", "meetings"], home).status == 0)
        #expect(try run(["tag", "rm", second, "meetings"], home).status == 0)
        let tags = try #require(try json(try run(["tags", "--json"], home).stdout) as? [[String: Any]])
        #expect(tags.map { $0["name"] as? String } == ["asia", "japan", "politics"])

        let hits = try #require(try json(try run(["search", "東京", "--json"], home).stdout) as? [[String: Any]])
        #expect(hits.count == 1)
        #expect(Set(hits[0].keys) == ["kind", "id", "title", "snippet", "rank"])
        #expect(hits[0]["kind"] as? String == "note" && hits[0]["id"] as? String == second)
        #expect((hits[0]["snippet"] as? String)?.contains("[東京]") == true)

        #expect(try run(["note", "rm", second], home).status == 0)
        let trash = try #require(try json(try run(["trash", "--json"], home).stdout) as? [[String: Any]])
        #expect(trash.map { $0["id"] as? String } == [second])
        #expect(try run(["search", "東京", "--json"], home).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(try run(["restore", String(second.prefix(10))], home).status == 0)
        #expect(try run(["trash", "--json"], home).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")

        let log = try #require(try json(try run(["log", "--json", "--limit", "3"], home).stdout) as? [[String: Any]])
        #expect(log.count == 3)
        #expect(Set(log[0].keys) == ["site", "seq", "entity", "entityId", "field", "hlc"])
        #expect(log[0]["field"] as? String == "deleted" && log[0]["entityId"] as? String == second)
        #expect((log[0]["seq"] as? Int ?? 0) > (log[1]["seq"] as? Int ?? 0))
        #expect(try run(["log"], home).stdout.contains("tag:japan"))
    }

    @Test func highlightsAnchorToAnArticle() throws {
        let home = try GlossBinary.temporaryHome()
        let library = try Library.open(folder: home)
        let article = try library.saveArticle(
            ArticleDraft(url: "https://example.org/soft-power", title: "Soft power", text: "Japan and ASEAN build ties through culture."))
        let added = try run(["note", "add", "", "--article", String(article.id.prefix(8)), "--quote", "build ties", "--json"], home)
        #expect(added.status == 0, "\(added.stderr)")
        let note = try #require(try json(added.stdout) as? [String: Any])
        let anchor = try #require(note["anchor"] as? [String: Any])
        #expect(anchor["exact"] as? String == "build ties" && anchor["start"] as? Int == 16 && anchor["end"] as? Int == 26)
        #expect(note["articleId"] as? String == article.id)

        let missing = try run(["note", "add", "x", "--article", article.id, "--quote", "not in the text"], home)
        #expect(missing.status == 1 && missing.stderr.hasPrefix("error: the passage"))
        let noArticle = try run(["note", "add", "x", "--quote", "build ties"], home)
        #expect(noArticle.status == 64)
    }

    /// Each error: `error: <what> (<hint>)`, exit 1, nothing changed.
    @Test func errorsAreClearAndChangeNothing() throws {
        let home = try GlossBinary.temporaryHome()
        for i in 0..<17 { #expect(try run(["note", "add", "note \(i)"], home).status == 0) }
        let before = try Library.open(folder: home).canonicalDump()
        func expectError(_ result: GlossResult, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(result.status == 1, sourceLocation: sourceLocation)
            #expect(result.stderr.hasPrefix("error: "), sourceLocation: sourceLocation)
            #expect(result.stderr.contains(fragment), "\(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.stderr.contains("(") && result.stderr.contains(")"), sourceLocation: sourceLocation)
        }
        expectError(try run(["note", "show", "ffffffff-0000"], home), "no note or article with id")
        let ids = try Library.open(folder: home).notes().map(\.id)
        let shared = try #require(Dictionary(grouping: ids, by: { $0.prefix(1) }).first { $0.value.count > 1 })
        let ambiguous = try run(["note", "rm", String(shared.key)], home)
        expectError(ambiguous, "ambiguous")
        #expect(shared.value.allSatisfy { ambiguous.stderr.contains($0) })
        expectError(try run(["note", "add", ""], home), "the note is empty")
        expectError(try run(["note", "add", "-"], home, stdin: "  \n"), "the note is empty")
        expectError(try run(["note", "add"], home, environment: ["EDITOR": "true"]), "the note is empty")
        expectError(try run(["note", "edit", ids[0], " "], home), "the note is empty")
        #expect(try Library.open(folder: home).canonicalDump() == before)
    }

    @Test func aFileThatIsNotAGlossLibraryIsRefused() throws {
        let home = try GlossBinary.temporaryHome()
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let file = home.appendingPathComponent("library.sqlite")
        let text = Data("these are my shopping notes, not a database\n".utf8)
        try text.write(to: file)
        let result = try run(["note", "list"], home)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: \(file.path) is not a Gloss library ("))
        #expect(try Data(contentsOf: file) == text)
        #expect(try run(["note", "add", "x"], home).status == 1)
        #expect(try Data(contentsOf: file) == text)
    }

    @Test func aCorruptLibraryIsRefused() throws {
        let home = try GlossBinary.temporaryHome()
        for i in 0..<3 { #expect(try run(["note", "add", "note \(i)"], home).status == 0) }
        let file = home.appendingPathComponent("library.sqlite")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        var bytes = try Data(contentsOf: file)
        for i in 100..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 7 &+ 13) }
        try bytes.write(to: file)
        let result = try run(["note", "list"], home)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stderr.contains("damaged") || result.stderr.contains("not a Gloss library"), "\(result.stderr)")
        #expect(result.stderr.contains("("))
        #expect(try run(["note", "add", "y"], home).status == 1)
        #expect(try Data(contentsOf: file) == bytes)
    }

    /// Root ignores permission bits, so as root the commands run as `nobody` (setpriv): the
    /// kernel, not the test, refuses the write.
    @Test func aReadOnlyDirectoryIsRefused() throws {
        let parent = try GlossBinary.temporaryHome("parent")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let home = parent.appendingPathComponent("lib")
        #expect(try run(["note", "add", "existing"], home).status == 0)
        let root = getuid() == 0
        var prefix: [String] = []
        if root {
            let setpriv = "/usr/bin/setpriv"
            try #require(FileManager.default.isExecutableFile(atPath: setpriv))
            prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", GlossBinary.url.path]
            // nobody may enter and read, not write.
            var dir = parent
            while dir.path != "/" {
                chmod(dir.path, 0o755)
                dir = dir.deletingLastPathComponent()
            }
            for file in try FileManager.default.contentsOfDirectory(atPath: home.path) {
                chmod(home.appendingPathComponent(file).path, 0o644)
            }
        }
        chmod(home.path, 0o555)
        chmod(parent.path, 0o555)
        defer { chmod(home.path, 0o700); chmod(parent.path, 0o700) }
        let before = try Library.open(folder: home).canonicalDump()

        func gloss(_ args: [String], _ home: URL) throws -> GlossResult {
            guard root else { return try run(args, home) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: prefix[0])
            process.arguments = Array(prefix.dropFirst()) + args
            process.environment = ["GLOSS_HOME": home.path, "HOME": "/nonexistent", "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "LANG": "C.UTF-8"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return GlossResult(
                status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                stderr: String(decoding: stderr, as: UTF8.self))
        }
        let existing = try gloss(["note", "add", "more"], home)
        #expect(existing.status == 1)
        #expect(existing.stderr.hasPrefix("error: cannot write to"), "\(existing.stderr)")
        #expect(existing.stderr.contains("read-only ("))
        let fresh = try gloss(["note", "add", "first"], parent.appendingPathComponent("new"))
        #expect(fresh.status == 1)
        #expect(fresh.stderr.hasPrefix("error: cannot write to"), "\(fresh.stderr)")
        #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("new").path))
        chmod(home.path, 0o700)
        #expect(try Library.open(folder: home).canonicalDump() == before)
    }

    @Test func aLockedLibraryFailsAfterTheBusyTimeout() throws {
        let home = try GlossBinary.temporaryHome()
        #expect(try run(["note", "add", "before the lock"], home).status == 0)
        let library = try Library.open(folder: home)
        let before = try library.canonicalDump()
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? library.write { _ in
                holding.signal()
                release.wait()
            }
            done.signal()
        }
        holding.wait()
        let blocked = try run(["note", "add", "while locked"], home)
        // Reads still work while another process writes (WAL).
        let listed = try run(["note", "list", "--json"], home)
        release.signal()
        done.wait()
        #expect(blocked.status == 1)
        #expect(blocked.stderr.hasPrefix("error: the library"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("locked by another process ("))
        #expect(listed.status == 0)
        #expect(try library.canonicalDump() == before)
    }

    @Test func twoProcessesAddingAtOnceBothSucceed() throws {
        let home = try GlossBinary.temporaryHome()  // not created yet: both race to create it
        let results = Mutex<[Int32]>([-1, -1, -1, -1])
        let errors = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let result = try? GlossBinary.run(["note", "add", "concurrent \(i)"], home: home)
            results.withLock { $0[i] = result?.status ?? -1 }
            if let result, result.status != 0 { errors.withLock { $0.append(result.stderr) } }
        }
        #expect(results.withLock { $0 } == [0, 0, 0, 0], "\(errors.withLock { $0 })")
        let library = try Library.open(folder: home)
        #expect(Set(try library.notes().map(\.body)) == ["concurrent 0", "concurrent 1", "concurrent 2", "concurrent 3"])
        #expect(try library.verify() == [])
    }

    /// SIGKILL in the middle of many writes, repeatedly: the database stays intact and every
    /// row has its change records and every change record its row (DESIGN §8).
    @Test func killingAWriterNeverLeavesAHalfWrite() throws {
        let home = try GlossBinary.temporaryHome()
        var acknowledged = 0
        for round in 0..<6 {
            let process = Process()
            process.executableURL = GlossBinary.url
            process.arguments = ["_write-many", "100000"]
            process.environment = ["GLOSS_HOME": home.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var seen = Data()
            let reader = out.fileHandleForReading
            let wanted = 5 + round * 7
            while String(decoding: seen, as: UTF8.self).split(separator: "\n").count < wanted {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                seen += chunk
            }
            usleep(useconds_t(Int.random(in: 0...20_000)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            seen += reader.readDataToEndOfFile()
            #expect(process.terminationReason == .uncaughtSignal)
            acknowledged += String(decoding: seen, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("ok ") }.count
        }
        let library = try Library.open(folder: home)
        #expect(try library.verify() == [])
        #expect(try library.notes().count + library.trash().count >= acknowledged)
    }
}
