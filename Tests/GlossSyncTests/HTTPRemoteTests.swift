import Foundation
import GlossHTTP
import Testing

@testable import GlossSync

/// The HTTP remote's pure parts: addresses, clock skew, credentials on disk. The exchanges
/// themselves are tested end to end against a real server (GlossCLITests/ServerSyncCLITests).
@Suite struct HTTPRemoteTests {
    @Test(arguments: [
        ("https://Gloss.Example.org/", "https://gloss.example.org"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("HTTPS://nas.lan:8443/gloss//", "https://nas.lan:8443/gloss"),
    ])
    func serverURLsAreNormalized(input: String, expected: String) throws {
        #expect(try ServerAddress.normalize(input) == expected)
        #expect(try RemoteFactory.normalize(input, currentDirectory: URL(fileURLWithPath: "/")) == expected)
    }

    @Test(arguments: ["https://", "https://user:pw@host", "https://host/?token=x", "https://host/#x"])
    func badServerURLsAreRefused(input: String) {
        #expect(throws: SyncError.self) { try ServerAddress.normalize(input) }
    }

    @Test func onlyLoopbackCountsAsThisMachine() {
        for host in ["http://127.0.0.1:1", "http://localhost", "http://[::1]:80", "http://127.1.2.3"] {
            #expect(ServerAddress.isLoopback(URL(string: host)!), "\(host)")
        }
        for host in ["http://10.0.0.1", "http://gloss.example.org", "http://127.0.0.1.example.org", "http://128.0.0.1"] {
            #expect(!ServerAddress.isLoopback(URL(string: host)!), "\(host)")
        }
        let plain = HTTPRemote(name: "far", baseURL: "http://gloss.example.org", credential: nil)
        #expect(!plain.allowsPasswords)
        #expect(HTTPRemote(name: "tls", baseURL: "https://gloss.example.org", credential: nil).allowsPasswords)
        #expect(HTTPRemote(name: "here", baseURL: "http://127.0.0.1:8765", credential: nil).allowsPasswords)
    }

    @Test func clockSkewIsMeasuredFromTheDateHeader() throws {
        let sent = try #require(ClockSkew.parseHTTPDate("Mon, 30 Nov 2026 12:00:00 GMT"))
        let received = sent.addingTimeInterval(0.2)
        // The server is 5 minutes ahead: this machine is behind.
        let offset = try #require(ClockSkew.offset(dateHeader: "Mon, 30 Nov 2026 12:05:00 GMT", sentAt: sent, receivedAt: received))
        #expect(abs(offset - 300.4) < 0.01)
        let warning = try #require(ClockSkew.warning(offset: offset, remote: "home"))
        #expect(warning.contains("5 min 0 s behind the clock of home"))
        #expect(ClockSkew.warning(offset: -7200, remote: "home")?.contains("2 h 0 min ahead of") == true)
        #expect(ClockSkew.warning(offset: 3, remote: "home") == nil)
        #expect(ClockSkew.offset(dateHeader: "yesterday", sentAt: sent, receivedAt: received) == nil)
    }

    @Test func credentialsAreKeptPrivatelyAndPerURL() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-cred-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = CredentialStore(folder: folder)
        #expect(try store.all().isEmpty)
        let login = Credential(remote: "home", url: "https://a.example", user: "alice", token: "t0k", expiresAt: Date(timeIntervalSince1970: 2e9))
        try store.save(login)
        let mode = try FileManager.default.attributesOfItem(atPath: store.file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try store.credential(remote: "home", url: "https://a.example") == login)
        #expect(try store.credential(remote: "home", url: "https://b.example") == nil)
        var newer = login
        newer.token = "t1k"
        try store.save(newer)
        #expect(try store.all() == [newer])
        #expect(try store.remove(remote: "home") == newer)
        #expect(try store.remove(remote: "home") == nil)
        try Data("{".utf8).write(to: store.file)
        #expect(throws: SyncError.self) { try store.all() }
    }

    @Test func retryAfterIsReadInSecondsOrAsADate() {
        func response(_ value: String?) -> HTTPResponse {
            var headers = HTTPHeaders()
            if let value { headers.add(name: "Retry-After", value: value) }
            return HTTPResponse(status: 429, headers: headers, body: Data(), url: URL(string: "http://127.0.0.1")!)
        }
        #expect(HTTPRemote.retryAfter(response("3")) == 3)
        #expect(HTTPRemote.retryAfter(response(nil)) == nil)
        #expect(HTTPRemote.retryAfter(response("soon")) == nil)
        let backoffs = (1...8).map { HTTPRemote(name: "x", baseURL: "http://127.0.0.1:1", credential: nil).backoff($0) }
        #expect(backoffs.allSatisfy { $0 > 0 && $0 <= HTTPRemote.Options().maxBackoff })
        #expect(backoffs[0] <= HTTPRemote.Options().initialBackoff)
    }
}
