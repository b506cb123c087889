import Foundation
import GlossStorage

/// The `/v1` sync protocol spoken between a Gloss client and `gloss serve` (DESIGN.md §5).
/// The contract is `docs/openapi.json`; these types are its Swift form, shared by the server and
/// the HTTP remote so the two cannot drift apart. Every body is JSON (UTF-8); times are ISO-8601.
public enum Wire {
    /// The `schema` a push batch declares. A server refuses any other value (`schema_version`).
    public static let schemaVersion = 1

    /// Paths of the endpoints, relative to the server's base URL.
    public enum Path {
        public static let health = "/v1/health"
        public static let login = "/v1/login"
        public static let logout = "/v1/logout"
        public static let vector = "/v1/vector"
        public static let push = "/v1/changes"
        /// `GET` with `after` and `limit` query parameters.
        public static func pull(site: String) -> String { "/v1/sites/\(site)/changes" }
    }

    /// The encoder both sides use: ISO-8601 times, stable key order.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// The decoder both sides use: ISO-8601 times.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
