import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Testing

/// Keeps docs/openapi.json true: the routes the server registers are exactly the documented
/// ones, and real responses of a live server validate against the documented schemas
/// (DESIGN.md §5, "The API contract").
@Suite("OpenAPI contract")
struct ContractTests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/openapi.json")

    static func document() throws -> JSONValue {
        try JSONValue.parse(Data(contentsOf: documentURL))
    }

    static let methods = ["get", "post", "put", "patch", "delete", "head", "options"]

    /// `METHOD path` for every documented operation.
    static func documentedOperations(_ doc: JSONValue) -> Set<String> {
        var operations = Set<String>()
        for (path, item) in doc["paths"]?.object ?? [:] {
            for method in methods where item[method] != nil { operations.insert("\(method.uppercased()) \(path)") }
        }
        return operations
    }

    @Test func theDocumentIsOpenAPI31() throws {
        let doc = try Self.document()
        #expect(doc["openapi"]?.string?.hasPrefix("3.1") == true)
        #expect(doc["components"]?["securitySchemes"]?["bearerToken"]?["scheme"]?.string == "bearer")
        // The documented error codes are exactly the server's closed set.
        let codes = doc["components"]?["schemas"]?["Error"]?["properties"]?["error"]?["properties"]?["code"]?["enum"]?
            .array?.compactMap(\.string)
        #expect(codes.map(Set.init) == Set(WireErrorCode.allCases.map(\.rawValue)))
    }

    @Test func documentedRoutesAreExactlyTheServedOnes() throws {
        let served = Set(Endpoint.allCases.map { "\($0.method.rawValue) \($0.path)" })
        #expect(Self.documentedOperations(try Self.document()) == served)
    }

    @Test func everySecuredOperationDocumentsItsTokenErrors() throws {
        let doc = try Self.document()
        for endpoint in Endpoint.allCases {
            let operation = try #require(doc["paths"]?[endpoint.path]?[endpoint.method.rawValue.lowercased()])
            let open = operation["security"]?.array?.isEmpty == true
            #expect(open == !endpoint.needsToken, "\(endpoint)")
            if endpoint.needsToken { #expect(operation["responses"]?["401"] != nil, "\(endpoint)") }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func everyDocumentedOperationIsServed(kind: StoreKind) async throws {
        let doc = try Self.document()
        try await Harness.with(kind) { h in
            for operation in Self.documentedOperations(doc) {
                let parts = operation.split(separator: " ")
                let path = String(parts[1]).replacingOccurrences(of: "{site}", with: Site.random())
                let result = try await h.request(String(parts[0]), path, body: parts[0] == "POST" ? Data("{}".utf8) : nil)
                #expect(result.status != 404, "\(operation)")
                #expect(result.errorCode != "not_found", "\(operation)")
            }
        }
    }

    /// Checks one live response against the document: its status is documented for the
    /// operation, and its body validates against the documented schema (or is empty when none).
    static func conforms(
        _ result: HTTPResult, _ method: String, _ template: String, doc: JSONValue,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let validator = SchemaValidator(document: doc)
        guard let operation = doc["paths"]?[template]?[method.lowercased()] else {
            Issue.record("\(method) \(template) is not documented", sourceLocation: sourceLocation)
            return
        }
        guard var response = operation["responses"]?[String(result.status)] else {
            Issue.record("\(method) \(template): status \(result.status) is not documented", sourceLocation: sourceLocation)
            return
        }
        if let ref = response["$ref"]?.string, let target = validator.resolve(ref) { response = target }
        guard let schema = response["content"]?["application/json"]?["schema"] else {
            #expect(result.body.isEmpty, "\(method) \(template) \(result.status): undocumented body", sourceLocation: sourceLocation)
            return
        }
        #expect(result.headers["content-type"]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        guard let body = try? JSONValue.parse(result.body) else {
            Issue.record("\(method) \(template) \(result.status): body is not JSON", sourceLocation: sourceLocation)
            return
        }
        let problems = validator.validate(body, against: schema)
        #expect(problems.isEmpty, "\(method) \(template) \(result.status): \(problems)", sourceLocation: sourceLocation)
        for (name, _) in response["headers"]?.object ?? [:] where name != "WWW-Authenticate" || result.status == 401 {
            #expect(result.headers[name.lowercased()] != nil, "\(method) \(template): header \(name) missing", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func liveResponsesConformToTheDocument(kind: StoreKind) async throws {
        let doc = try Self.document()
        let pullTemplate = Wire.Path.pull(site: "{site}")
        try await Harness.with(kind, configure: { $0.maxBatchChanges = 5 }) { h in
            func check(_ result: HTTPResult, _ method: String, _ template: String, sourceLocation: SourceLocation = #_sourceLocation) {
                Self.conforms(result, method, template, doc: doc, sourceLocation: sourceLocation)
            }
            check(try await h.request("GET", Wire.Path.health), "GET", Wire.Path.health)

            try await h.addUser("alice")
            let wrong = try Wire.encoder().encode(LoginRequest(user: "alice", password: "nope"))
            check(try await h.request("POST", Wire.Path.login, body: wrong), "POST", Wire.Path.login)
            check(try await h.request("POST", Wire.Path.login, body: Data("{\"user\":1}".utf8)), "POST", Wire.Path.login)
            let good = try Wire.encoder().encode(LoginRequest(user: "alice", password: "correct horse"))
            let login = try await h.request("POST", Wire.Path.login, body: good)
            check(login, "POST", Wire.Path.login)
            let token = try login.decode(LoginResponse.self).token

            check(try await h.request("GET", Wire.Path.vector, token: token), "GET", Wire.Path.vector)
            check(try await h.request("GET", Wire.Path.vector), "GET", Wire.Path.vector)
            let log = Log.make(count: 8, value: { $0 == 2 ? nil : "v\($0)" })
            let site = log[0].site
            check(try await h.push(token, site: site, Array(log[0..<4])), "POST", Wire.Path.push)
            check(try await h.push(token, site: site, Array(log[5..<7])), "POST", Wire.Path.push)  // gap
            check(try await h.push(token, site: site, [Log.rehashed(log[3]) { $0.value = "fork" }]), "POST", Wire.Path.push)
            var tampered = log[4]
            tampered.value = "x"
            check(try await h.push(token, site: site, [tampered]), "POST", Wire.Path.push)  // bad hash
            check(try await h.push(token, site: site, Array(log[2..<8])), "POST", Wire.Path.push)  // too many
            check(try await h.request("POST", Wire.Path.push, token: token, body: Data("{".utf8)), "POST", Wire.Path.push)
            check(try await h.push(token, site: site, Array(log[4..<8])), "POST", Wire.Path.push)
            check(try await h.request("GET", Wire.Path.vector, token: token), "GET", Wire.Path.vector)

            check(try await h.pull(token, site: site, after: 0, limit: 3), "GET", pullTemplate)
            check(try await h.pull(token, site: site, after: 3), "GET", pullTemplate)
            check(try await h.request("GET", Wire.Path.pull(site: site) + "?limit=0", token: token), "GET", pullTemplate)
            check(try await h.pull("bogus", site: site), "GET", pullTemplate)

            check(try await h.request("POST", Wire.Path.logout, token: token), "POST", Wire.Path.logout)
            check(try await h.request("POST", Wire.Path.logout, token: token), "POST", Wire.Path.logout)
        }
        try await Harness.with(kind, configure: { $0.rateLimitPerMinute = 1 }) { h in
            _ = try await h.request("GET", Wire.Path.health)
            let limited = try await h.request("GET", Wire.Path.health)
            #expect(limited.status == 429)
            Self.conforms(limited, "GET", Wire.Path.health, doc: doc)
        }
    }
}
