import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Testing

@Suite("Server limits and concurrency")
struct LimitsTests {
    @Test(arguments: StoreKind.allCases)
    func aBodyThatNeverEndsTimesOutAndStoresNothing(kind: StoreKind) async throws {
        try await Harness.with(kind, configure: { $0.requestTimeout = .seconds(1) }) { h in
            let token = try await h.account("alice")
            let socket = try RawSocket(port: h.server.port)
            socket.send(
                "POST /v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"schema\":1,")
            let response = socket.receive()
            #expect(response.hasPrefix("HTTP/1.1 503"), "\(response)")
            #expect(response.contains(#""code":"unavailable""#))
            #expect(try await h.vector(token) == [:])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentOverlappingPushesStoreEachChangeOnce(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let token = try await h.account("alice")
            let log = Log.make(count: 40)
            let site = log[0].site
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 1...8 {
                    let batch = Array(log[0..<(5 * i)])
                    group.addTask { try await h.push(token, site: site, batch).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 8))
            #expect(try await h.vector(token) == [site: 40])
            #expect(try await h.pull(token, site: site).decode(PullResponse.self).changes == log)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentForksLetExactlyOneWin(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let token = try await h.account("alice")
            let site = Site.random()
            // Two clones of one site write different seq 1…3 at once: one log is kept whole.
            let logs = (0..<4).map { n in Log.make(site: site, count: 3, value: { "clone \(n) wrote \($0)" }) }
            let results = try await withThrowingTaskGroup(of: (Int, Int, String?).self) { group in
                for (n, log) in logs.enumerated() {
                    group.addTask {
                        let result = try await h.push(token, site: site, log)
                        return (n, result.status, result.errorCode)
                    }
                }
                return try await group.reduce(into: [(Int, Int, String?)]()) { $0.append($1) }
            }
            let winners = results.filter { $0.1 == 200 }
            #expect(winners.count == 1)
            #expect(results.filter { $0.1 == 409 && $0.2 == "site_forked" }.count == 3)
            let kept = try await h.pull(token, site: site).decode(PullResponse.self).changes
            #expect(kept == logs[winners[0].0])
        }
    }
}
