import Foundation
import Testing

/// How `gloss sync` treats a server's failures, against scripted answers (LoopbackServer): 5xx and
/// 429 are retried a bounded number of times, other 4xx never; each ends in a clear error.
@Suite struct ServerRetryCLITests {
    /// A library whose remote `s` is `server`, with a stored (fake) login.
    static func home(for server: LoopbackServer) throws -> SyncCLITests.Home {
        let home = try SyncCLITests.Home("retry")
        let url = "http://127.0.0.1:\(server.port)"
        try home.run(["remote", "add", "s", url])
        let credentials = #"{"credentials":[{"expiresAt":"2099-01-01T00:00:00Z","remote":"s","token":"t","url":"\#(url)","user":"alice"}],"version":1}"#
        try Data(credentials.utf8).write(to: home.url.appendingPathComponent("credentials.json"))
        return home
    }

    static func answer(_ status: Int, _ code: String, headers: [(String, String)] = []) -> LoopbackServer.Reply {
        .raw(LoopbackServer.response(
            status: status, headers: [("Content-Type", "application/json")] + headers,
            body: Data(#"{"error":{"code":"\#(code)","message":"scripted \#(code)"}}"#.utf8)))
    }

    @Test(arguments: [
        (503, "unavailable", 5, "s is unavailable: scripted unavailable"),
        (500, "internal", 5, "s is unavailable: scripted internal"),
        (429, "rate_limited", 5, "s is unavailable: scripted rate_limited"),
        (400, "bad_request", 1, "s refused the request: scripted bad_request"),
        (401, "token_expired", 1, "your login to s has expired"),
        (401, "unauthorized", 1, "s refused the login token"),
        (404, "not_found", 1, "is not a Gloss sync endpoint"),
    ])
    func failuresAreRetriedOnlyWhenTheyMayPass(status: Int, code: String, attempts: Int, message: String) throws {
        let headers = status == 429 ? [("Retry-After", "0")] : []
        let server = try LoopbackServer(routes: ["/v1/vector": Self.answer(status, code, headers: headers)])
        defer { server.stop() }
        let home = try Self.home(for: server)
        let result = try home.run(["sync"], expect: 1)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(server.requests.count == attempts, "\(server.requests.count) requests")
        #expect(server.requests.allSatisfy { $0.contains("Authorization: Bearer t") })
    }
}
