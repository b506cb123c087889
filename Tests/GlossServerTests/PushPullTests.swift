import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Testing

@Suite("Server push and pull")
struct PushPullTests {
    @Test(arguments: StoreKind.allCases)
    func pushThenPullRoundTripsEveryField(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let token = try await h.account("alice")
            var log = Log.make(count: 10, value: { $0 == 5 ? nil : "línea \($0) 東京 \u{1F600}" })
            log[6] = Change(
                site: log[6].site, seq: 7, entity: .article, entityId: "a", field: "title", value: "x",
                hlc: HLC(rawValue: Int64.max), base: [ChangeRef(site: log[0].site, seq: 2)], wall: -5, prev: log[5].hash)
            for i in 7..<10 { log[i] = Log.rehashed(log[i]) { $0.prev = log[i - 1].hash } }
            let site = log[0].site

            let first = try await h.push(token, site: site, Array(log[0..<6]))
            #expect(first.status == 200)
            #expect(try first.decode(PushResponse.self) == PushResponse(site: site, accepted: 6, skipped: 0, seq: 6))
            let second = try await h.push(token, site: site, Array(log[6...]))
            #expect(try second.decode(PushResponse.self) == PushResponse(site: site, accepted: 4, skipped: 0, seq: 10))
            #expect(try await h.vector(token) == [site: 10])

            let page1 = try await h.pull(token, site: site, after: 0, limit: 4).decode(PullResponse.self)
            #expect(page1.changes == Array(log[0..<4]))
            #expect(page1.more)
            let page2 = try await h.pull(token, site: site, after: 4).decode(PullResponse.self)
            #expect(page2.changes == Array(log[4...]))
            #expect(!page2.more)
            let empty = try await h.pull(token, site: site, after: 10).decode(PullResponse.self)
            #expect(empty.changes.isEmpty && !empty.more)
            let unknown = try await h.pull(token, site: Site.random()).decode(PullResponse.self)
            #expect(unknown.changes.isEmpty && !unknown.more)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func severalSitesKeepSeparateLogs(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let token = try await h.account("alice")
            let a = Log.make(count: 3), b = Log.make(count: 5)
            #expect(try await h.push(token, site: a[0].site, a).status == 200)
            #expect(try await h.push(token, site: b[0].site, b).status == 200)
            #expect(try await h.vector(token) == [a[0].site: 3, b[0].site: 5])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRetriedOrOverlappingBatchSkipsWhatIsHeld(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let token = try await h.account("alice")
            let log = Log.make(count: 8)
            let site = log[0].site
            #expect(try await h.push(token, site: site, Array(log[0..<5])).status == 200)
            let again = try await h.push(token, site: site, Array(log[0..<5])).decode(PushResponse.self)
            #expect(again == PushResponse(site: site, accepted: 0, skipped: 5, seq: 5))
            let overlap = try await h.push(token, site: site, Array(log[2..<8])).decode(PushResponse.self)
            #expect(overlap == PushResponse(site: site, accepted: 3, skipped: 3, seq: 8))
            let empty = try await h.push(token, site: site, []).decode(PushResponse.self)
            #expect(empty == PushResponse(site: site, accepted: 0, skipped: 0, seq: 8))
            #expect(try await h.pull(token, site: site).decode(PullResponse.self).changes == log)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func pullPagesAreBoundedInBytes(kind: StoreKind) async throws {
        try await Harness.with(kind, configure: { $0.maxPullBytes = 3000 }) { h in
            let token = try await h.account("alice")
            let log = Log.make(count: 6, value: { String(repeating: "x", count: $0 == 1 ? 5000 : 1000) })
            let site = log[0].site
            #expect(try await h.push(token, site: site, log).status == 200)
            // The first change alone is over the byte bound: it still travels, on its own.
            let one = try await h.pull(token, site: site).decode(PullResponse.self)
            #expect(one.changes == [log[0]] && one.more)
            let next = try await h.pull(token, site: site, after: 1).decode(PullResponse.self)
            #expect(next.changes.count >= 1 && next.changes.count < 5 && next.more)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func gzipBodiesAreAccepted(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let token = try await h.account("alice")
            let log = Log.make(count: 50)
            let site = log[0].site
            let json = try Wire.encoder().encode(PushRequest(site: site, changes: log))
            let gz = Data(Gzip.compress(Array(json)))
            #expect(gz.count < json.count)
            let result = try await h.request(
                "POST", Wire.Path.push, token: token, body: gz, headers: ["Content-Encoding": "gzip"])
            #expect(result.status == 200)
            #expect(try await h.vector(token) == [site: 50])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func everyResponseCarriesADateHeader(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            for result in [
                try await h.request("GET", Wire.Path.health),
                try await h.request("GET", Wire.Path.vector),
                try await h.request("GET", "/v1/nowhere"),
            ] {
                let date = try #require(result.headers["date"])
                #expect(date.hasSuffix("GMT"))
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unknownRoutesGetTheJSONErrorShape(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            for (method, path) in [("GET", "/"), ("GET", "/v2/vector"), ("DELETE", Wire.Path.vector), ("PUT", Wire.Path.push)] {
                let result = try await h.request(method, path)
                #expect(result.status == 404, "\(method) \(path)")
                #expect(result.errorCode == "not_found", "\(method) \(path)")
            }
            let health = try await h.request("GET", Wire.Path.health)
            #expect(try health.decode(HealthResponse.self) == HealthResponse())
        }
    }
}
