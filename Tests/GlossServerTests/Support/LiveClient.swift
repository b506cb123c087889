import Foundation
import GlossStorage
import GlossSync

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Speaks the /v1 API over real HTTP to a server at `base` (a `ServerProcess`): what the
/// multi-process tests need, without the in-process `Harness`.
struct LiveClient: Sendable {
    let base: URL
    let session: URLSession

    init(_ base: URL) {
        self.base = base
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 120
        config.httpCookieStorage = nil
        config.urlCache = nil
        session = URLSession(configuration: config)
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        request.httpBody = body
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw Failed(description: "not an HTTP response") }
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    func login(_ user: String, password: String) async throws -> String {
        let result = try await request(
            "POST", Wire.Path.login, body: try Wire.encoder().encode(LoginRequest(user: user, password: password)))
        guard result.status == 200 else {
            throw Failed(description: "login: \(result.status) \(String(decoding: result.body, as: UTF8.self))")
        }
        return try result.decode(LoginResponse.self).token
    }

    func vector(_ token: String) async throws -> VersionVector {
        let result = try await request("GET", Wire.Path.vector, token: token)
        guard result.status == 200 else { throw Failed(description: "vector: \(result.status)") }
        return try result.decode(VectorResponse.self).vector
    }

    func push(_ token: String, _ changes: [Change], site: String? = nil) async throws -> HTTPResult {
        let body = try Wire.encoder().encode(
            PushRequest(schema: Wire.schemaVersion, site: site ?? changes[0].site, changes: changes))
        return try await request("POST", Wire.Path.push, token: token, body: body)
    }

    /// Every change of `site`, page by page.
    func pullAll(_ token: String, site: String) async throws -> [Change] {
        var out: [Change] = []
        while true {
            let result = try await request("GET", Wire.Path.pull(site: site) + "?after=\(out.last?.seq ?? 0)", token: token)
            guard result.status == 200 else { throw Failed(description: "pull: \(result.status)") }
            let page = try result.decode(PullResponse.self)
            out += page.changes
            if !page.more || page.changes.isEmpty { return out }
        }
    }
}
