import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Testing

/// Bad pushes: each gets a 4xx with the JSON error shape and stores nothing.
@Suite("Server refuses bad requests")
struct BadRequestTests {
    /// A vault holding seqs 1…3 of one site, then `attempt` with the rest of that log at hand;
    /// checks the answer's status and code, and that the vault still holds exactly 1…3.
    func expectRefused(
        _ kind: StoreKind, status: Int, code: String, configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
        _ attempt: @escaping (Harness, String, [Change]) async throws -> HTTPResult
    ) async throws {
        try await Harness.with(kind, configure: configure) { h in
            let token = try await h.account("alice")
            let log = Log.make(count: 8)
            let site = log[0].site
            #expect(try await h.push(token, site: site, Array(log[0..<3])).status == 200)
            let result = try await attempt(h, token, log)
            #expect(result.status == status, "body: \(String(decoding: result.body.prefix(300), as: UTF8.self))")
            #expect(result.errorCode == code)
            #expect(result.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect(try await h.vector(token) == [site: 3], "nothing stored")
            #expect(try await h.pull(token, site: site).decode(PullResponse.self).changes == Array(log[0..<3]))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aGapIsRefused(kind: StoreKind) async throws {
        try await expectRefused(kind, status: 409, code: "seq_gap") { h, token, log in
            try await h.push(token, site: log[0].site, Array(log[4..<6]))
        }
        try await expectRefused(kind, status: 409, code: "seq_gap") { h, token, log in
            try await h.push(token, site: log[0].site, [log[3], log[5]])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRecordOfAnotherSiteIsRefused(kind: StoreKind) async throws {
        try await expectRefused(kind, status: 400, code: "site_mismatch") { h, token, log in
            let stranger = Log.rehashed(log[4]) { $0.site = Site.random() }
            return try await h.push(token, site: log[0].site, [log[3], stranger])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aForkIsRefused(kind: StoreKind) async throws {
        // Same (site, seq) as held, different content.
        try await expectRefused(kind, status: 409, code: "site_forked") { h, token, log in
            let other = Log.rehashed(log[2]) { $0.value = "written by a clone" }
            return try await h.push(token, site: log[0].site, [other])
        }
        // A new record that does not chain onto the held head.
        try await expectRefused(kind, status: 409, code: "site_forked") { h, token, log in
            let other = Log.rehashed(log[3]) { $0.prev = String(repeating: "0", count: 64) }
            return try await h.push(token, site: log[0].site, [other])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBadHashIsRefused(kind: StoreKind) async throws {
        try await expectRefused(kind, status: 400, code: "bad_hash") { h, token, log in
            var tampered = log[3]
            tampered.value = "tampered"
            return try await h.push(token, site: log[0].site, [tampered])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBrokenChainInsideTheBatchIsRefused(kind: StoreKind) async throws {
        try await expectRefused(kind, status: 400, code: "hash_mismatch") { h, token, log in
            let broken = Log.rehashed(log[4]) { $0.prev = log[2].hash }
            return try await h.push(token, site: log[0].site, [log[3], broken])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBatchIsAllOrNothing(kind: StoreKind) async throws {
        // Five good records, then a bad one: none of the five is stored.
        try await expectRefused(kind, status: 400, code: "bad_hash") { h, token, log in
            var batch = Array(log[3..<8])
            batch[4].wall += 1
            return try await h.push(token, site: log[0].site, batch)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anotherSchemaVersionIsRefused(kind: StoreKind) async throws {
        try await expectRefused(kind, status: 400, code: "schema_version") { h, token, log in
            try await h.push(token, site: log[0].site, Array(log[3..<5]), schema: 2)
        }
    }

    /// Bodies that are not a well-formed push, as raw bytes.
    static let malformed: [(name: String, code: String, body: @Sendable ([Change]) throws -> Data)] = [
        ("truncated JSON", "invalid_json", { log in
            let json = try Wire.encoder().encode(PushRequest(site: log[0].site, changes: Array(log[3..<5])))
            return json.prefix(json.count / 2)
        }),
        ("empty body", "invalid_json", { _ in Data() }),
        ("not UTF-8", "invalid_json", { _ in Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]) }),
        ("a JSON array", "bad_request", { _ in Data("[]".utf8) }),
        ("deeply nested JSON", "invalid_json", { _ in
            Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        }),
        ("seq as a string", "bad_request", { log in
            try mutate(log) { $0["seq"] = "4" }
        }),
        ("a negative seq", "bad_request", { log in
            try mutate(log) { $0["seq"] = -4 }
        }),
        ("seq too big for 64 bits", "invalid_json", { log in
            let json = try mutate(log) { $0["seq"] = 4 }
            return Data(String(decoding: json, as: UTF8.self).replacingOccurrences(of: #""seq":4"#, with: #""seq":99999999999999999999"#).utf8)
        }),
        ("a missing field", "bad_request", { log in
            try mutate(log) { $0.removeValue(forKey: "hash") }
        }),
        ("an unknown entity", "bad_request", { log in
            try mutate(log) { $0["entity"] = "spaceship" }
        }),
        ("a malformed hlc", "bad_request", { log in
            try mutate(log) { $0["hlc"] = "not-a-stamp" }
        }),
        ("schema missing", "bad_request", { log in
            Data(#"{"site":"\#(log[0].site)","changes":[]}"#.utf8)
        }),
        ("a malformed site", "bad_request", { _ in
            Data(#"{"schema":1,"site":"../../etc","changes":[]}"#.utf8)
        }),
    ]

    /// A push of `log[3]` (the next record) whose JSON object `edit` changes.
    static func mutate(_ log: [Change], _ edit: (inout [String: Any]) -> Void) throws -> Data {
        var change = try JSONSerialization.jsonObject(with: Wire.encoder().encode(log[3])) as! [String: Any]
        edit(&change)
        let body: [String: Any] = ["schema": 1, "site": log[0].site, "changes": [change]]
        return try JSONSerialization.data(withJSONObject: body)
    }

    @Test(arguments: StoreKind.allCases, 0..<BadRequestTests.malformed.count)
    func malformedBodiesAreRefused(kind: StoreKind, index: Int) async throws {
        let testCase = Self.malformed[index]
        try await expectRefused(kind, status: 400, code: testCase.code) { h, token, log in
            try await h.request("POST", Wire.Path.push, token: token, body: try testCase.body(log))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aHugeBodyIsRefused(kind: StoreKind) async throws {
        try await expectRefused(kind, status: 413, code: "too_large", configure: { $0.maxBodyBytes = 64 * 1024 }) {
            h, token, log in
            let big = Log.rehashed(log[3]) { $0.value = String(repeating: "x", count: 100 * 1024) }
            return try await h.push(token, site: log[0].site, [big])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aValueAboveTheCapIsRefused(kind: StoreKind) async throws {
        try await expectRefused(kind, status: 413, code: "too_large") { h, token, log in
            let big = Log.rehashed(log[3]) { $0.value = String(repeating: "x", count: Change.maxValueBytes + 1) }
            return try await h.push(token, site: log[0].site, [big])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aGzipBombIsRefused(kind: StoreKind) async throws {
        try await expectRefused(kind, status: 413, code: "too_large", configure: { $0.maxBodyBytes = 64 * 1024 }) {
            h, token, _ in
            let bomb = Data(Gzip.compress([UInt8](repeating: 0x20, count: 4 * 1024 * 1024)))
            return try await h.request("POST", Wire.Path.push, token: token, body: bomb, headers: ["Content-Encoding": "gzip"])
        }
        try await expectRefused(kind, status: 400, code: "invalid_json") { h, token, log in
            let json = try Wire.encoder().encode(PushRequest(site: log[0].site, changes: [log[3]]))
            let gz = Gzip.compress(Array(json))
            return try await h.request(
                "POST", Wire.Path.push, token: token, body: Data(gz.prefix(gz.count - 12)), headers: ["Content-Encoding": "gzip"])
        }
        try await expectRefused(kind, status: 400, code: "bad_request") { h, token, log in
            try await h.request("POST", Wire.Path.push, token: token, body: Data("{}".utf8), headers: ["Content-Encoding": "br"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aTooLargeBatchIsRefused(kind: StoreKind) async throws {
        try await expectRefused(kind, status: 413, code: "batch_too_large", configure: { $0.maxBatchChanges = 4 }) {
            h, token, log in
            try await h.push(token, site: log[0].site, Array(log[3..<8]))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func badPullParametersAreRefused(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let token = try await h.account("alice")
            let site = Site.random()
            for query in ["after=-1", "after=x", "limit=0", "limit=-3", "after=1.5", "after=99999999999999999999"] {
                let result = try await h.request("GET", Wire.Path.pull(site: site) + "?" + query, token: token)
                #expect(result.status == 400, "\(query)")
                #expect(result.errorCode == "bad_request", "\(query)")
            }
            for bad in ["ABC", String(repeating: "g", count: 32), "%2e%2e"] {
                let result = try await h.request("GET", "/v1/sites/\(bad)/changes", token: token)
                #expect(result.errorCode == "bad_request", "\(bad)")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func tooManyRequestsAreLimitedPerToken(kind: StoreKind) async throws {
        try await Harness.with(kind, configure: { $0.rateLimitPerMinute = 3 }) { h in
            // Login spends the address's bucket, not the token's.
            let token = try await h.account("alice")
            for _ in 0..<3 { #expect(try await h.request("GET", Wire.Path.vector, token: token).status == 200) }
            let limited = try await h.request("GET", Wire.Path.vector, token: token)
            #expect(limited.status == 429)
            #expect(limited.errorCode == "rate_limited")
            #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
            // A push refused by the limit stores nothing.
            let log = Log.make(count: 1)
            #expect(try await h.push(token, site: log[0].site, log).errorCode == "rate_limited")
            h.clock.advance(by: 60)
            #expect(try await h.vector(token) == [:])
        }
    }
}
