import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `gloss serve` and `gloss serve user …`, run as a user would.
@Suite("gloss serve")
struct ServeCommandTests {
    @Test func usersAreAddedListedAndRemoved() throws {
        let data = try GlossBinary.temporaryHome("server-data")
        let add = try GlossBinary.run(["serve", "user", "add", "alice", "--data", data.path], stdin: "s3cret\n")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "added user alice\n")

        let again = try GlossBinary.run(["serve", "user", "add", "alice", "--data", data.path], stdin: "other\n")
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("error: user alice already exists ("))

        let empty = try GlossBinary.run(["serve", "user", "add", "bob", "--data", data.path], stdin: "\n")
        #expect(empty.status == 1)
        #expect(empty.stderr.hasPrefix("error: the password is empty"))

        let badName = try GlossBinary.run(["serve", "user", "add", "no spaces", "--data", data.path], stdin: "x\n")
        #expect(badName.status == 64)

        let list = try GlossBinary.run(["serve", "user", "list", "--json", "--data", data.path])
        #expect(list.status == 0)
        let users = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(users.count == 1)
        #expect(users.first?["name"] as? String == "alice")
        #expect(users.first?["sites"] as? Int == 0)
        #expect(Set(users.first?.keys.map { $0 } ?? []) == ["name", "createdAt", "sites", "changes"])

        let human = try GlossBinary.run(["serve", "user", "list", "--data", data.path])
        #expect(human.stdout.contains("alice"))

        #expect(try GlossBinary.run(["serve", "user", "rm", "alice", "--data", data.path]).status == 0)
        let gone = try GlossBinary.run(["serve", "user", "rm", "alice", "--data", data.path])
        #expect(gone.status == 1)
        #expect(gone.stderr.hasPrefix("error: no user named alice ("))

        let noData = try GlossBinary.run(["serve", "user", "list"])
        #expect(noData.status == 64)
    }

    @Test func serveListensOnTheAskedPortAndStopsOnSIGTERM() async throws {
        let data = try GlossBinary.temporaryHome("server-data")
        #expect(try GlossBinary.run(["serve", "user", "add", "alice", "--data", data.path], stdin: "pw\n").status == 0)

        let process = Process()
        process.executableURL = GlossBinary.url
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--data", data.path]
        process.environment = ["PATH": "/usr/bin:/bin", "LOG_LEVEL": "warning"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // The first line names the bound address.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix("listening on http://127.0.0.1:"))
        let url = try #require(URL(string: text.dropFirst("listening on ".count).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(url.port != nil && url.port != 0)

        var login = URLRequest(url: url.appendingPathComponent("v1/login"))
        login.httpMethod = "POST"
        login.httpBody = Data(#"{"user":"alice","password":"pw"}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: login)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("\"token\""))

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
