import GlossSync
import HTTPTypes

/// Every endpoint of `/v1`. The server registers exactly these routes (`SyncAPI.register`), and
/// the contract test checks this list against docs/openapi.json both ways.
public enum Endpoint: String, CaseIterable, Sendable {
    case health, login, logout, vector, push, pull

    public var method: HTTPRequest.Method {
        switch self {
        case .health, .vector, .pull: .get
        case .login, .logout, .push: .post
        }
    }

    /// The path as OpenAPI writes it (`{name}` for a parameter).
    public var path: String {
        switch self {
        case .health: Wire.Path.health
        case .login: Wire.Path.login
        case .logout: Wire.Path.logout
        case .vector: Wire.Path.vector
        case .push: Wire.Path.push
        case .pull: Wire.Path.pull(site: "{site}")
        }
    }

    /// The path as Hummingbird's router writes it (`:name` for a parameter).
    var routerPath: String {
        path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
    }

    /// False only for the endpoints a client uses before it has a token.
    public var needsToken: Bool { self != .health && self != .login }
}
