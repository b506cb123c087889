import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The server process killed with SIGKILL in the middle of a push: after a restart the vault
/// holds all of the batch or none of it, its log is intact, and a retry completes it.
@Suite("Server crash safety")
struct CrashTests {
    @Test func aPushCutBySIGKILLIsAllOrNothing() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let setup = try SQLiteServerStore(directory: data)
        _ = try await setup.addUser(name: "alice", passwordHash: Harness.hasher.hash("pw"), createdAt: Date())
        try await setup.close()

        let log = Log.make(count: 3003)
        let site = log[0].site
        let session = URLSession(configuration: .ephemeral)
        func call(_ server: ServerProcess, _ method: String, _ path: String, token: String?, body: Data?) async throws -> HTTPResult {
            var request = URLRequest(url: URL(string: server.url.absoluteString + path)!)
            request.httpMethod = method
            request.httpBody = body
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            let (data, response) = try await session.data(for: request)
            return HTTPResult(status: (response as! HTTPURLResponse).statusCode, headers: [:], body: data)
        }

        var server = try await ServerProcess.start(["--data", data.path])
        let login = try await call(
            server, "POST", Wire.Path.login, token: nil, body: Wire.encoder().encode(LoginRequest(user: "alice", password: "pw")))
        let token = try login.decode(LoginResponse.self).token
        let first = try Wire.encoder().encode(PushRequest(site: site, changes: Array(log[0..<3])))
        #expect(try await call(server, "POST", Wire.Path.push, token: token, body: first).status == 200)

        // The big batch goes out whole; the server dies while it checks and stores it.
        let big = try Wire.encoder().encode(PushRequest(site: site, changes: Array(log[3...])))
        let socket = try RawSocket(port: server.url.port!)
        socket.send(
            "POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(big.count)\r\n\r\n")
        socket.send(String(decoding: big, as: UTF8.self))
        server.kill()

        server = try await ServerProcess.start(["--data", data.path])
        let vector = try await call(server, "GET", Wire.Path.vector, token: token, body: nil).decode(VectorResponse.self).vector
        #expect(vector[site] == 3 || vector[site] == 3003, "all or nothing, got \(vector)")
        let retry = try await call(server, "POST", Wire.Path.push, token: token, body: big).decode(PushResponse.self)
        #expect(retry.seq == 3003)
        #expect(retry.accepted + retry.skipped == 3000)
        var pulled: [Change] = []
        while true {
            let page = try await call(
                server, "GET", Wire.Path.pull(site: site) + "?after=\(pulled.count)", token: token, body: nil
            ).decode(PullResponse.self)
            pulled += page.changes
            if !page.more { break }
        }
        #expect(pulled == log)
        server.kill(SIGTERM)
    }
}
