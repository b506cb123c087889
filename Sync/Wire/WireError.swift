/// The closed set of error codes a Gloss server answers with. Clients branch on the code, never
/// on the message (which is for people). New codes are a protocol change.
public enum WireErrorCode: String, Codable, Sendable, CaseIterable {
    /// The request is malformed in a way no other code names (a wrong type, a missing field, a bad
    /// parameter, a negative seq).
    case badRequest = "bad_request"
    /// The body is not JSON (or not UTF-8, or truncated), or its gzip encoding is broken.
    case invalidJSON = "invalid_json"
    /// The push declares a `schema` this server does not speak.
    case schemaVersion = "schema_version"
    /// No bearer token, an unknown or revoked token, or a wrong user name or password.
    case unauthorized
    /// The bearer token was valid but has expired: log in again.
    case tokenExpired = "token_expired"
    /// The token is valid but may not do this.
    case forbidden
    /// No such endpoint.
    case notFound = "not_found"
    /// The batch starts above the server's `vector[site] + 1`, or skips a seq.
    case seqGap = "seq_gap"
    /// A record's `site` differs from the batch's declared `site`.
    case siteMismatch = "site_mismatch"
    /// A record's `prev` is not the hash of the record before it in the batch (or seq 1 has a
    /// `prev`): the batch's own chain is broken.
    case hashMismatch = "hash_mismatch"
    /// The server holds a different record at one of these `(site, seq)`, or the batch does not
    /// chain onto the server's last record: two replicas wrote under one site id.
    case siteForked = "site_forked"
    /// A record's `hash` does not match its content.
    case badHash = "bad_hash"
    /// The body, or one change's value, is larger than the server accepts.
    case tooLarge = "too_large"
    /// The batch holds more changes than the server accepts in one request.
    case batchTooLarge = "batch_too_large"
    /// Too many requests for this token (or address): retry after `Retry-After` seconds.
    case rateLimited = "rate_limited"
    /// The server cannot serve now (its store is unreachable, or the request timed out): retry.
    case unavailable
    /// A bug on the server. Nothing was stored.
    case `internal`

    /// The HTTP status a server sends with this code.
    public var httpStatus: Int {
        switch self {
        case .badRequest, .invalidJSON, .schemaVersion, .siteMismatch, .hashMismatch, .badHash: 400
        case .unauthorized, .tokenExpired: 401
        case .forbidden: 403
        case .notFound: 404
        case .seqGap, .siteForked: 409
        case .tooLarge, .batchTooLarge: 413
        case .rateLimited: 429
        case .unavailable: 503
        case .internal: 500
        }
    }

    /// True when the same request may succeed later unchanged (the client should retry with
    /// backoff); false when retrying cannot help.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .unavailable, .internal: true
        default: false
        }
    }
}

/// The body of every error response: `{"error":{"code":"…","message":"…"}}`.
public struct WireErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: WireErrorCode
        public var message: String

        public init(code: WireErrorCode, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var error: Detail

    public init(code: WireErrorCode, message: String) {
        error = Detail(code: code, message: message)
    }
}
