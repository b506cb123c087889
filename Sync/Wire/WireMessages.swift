import Foundation
import GlossStorage

// Request and response bodies of `/v1`, one per endpoint, in the order docs/openapi.json lists
// them. Each is a plain Codable value; `Wire.encoder()` / `Wire.decoder()` read and write them.

/// `GET /v1/health` → 200. Needs no token.
public struct HealthResponse: Codable, Sendable, Equatable {
    /// Always "ok" when the server answers.
    public var status: String
    /// The push `schema` the server speaks (`Wire.schemaVersion`).
    public var schema: Int

    public init(status: String = "ok", schema: Int = Wire.schemaVersion) {
        self.status = status
        self.schema = schema
    }
}

/// `POST /v1/login` body.
public struct LoginRequest: Codable, Sendable, Equatable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

/// `POST /v1/login` → 200: a bearer token for `Authorization: Bearer <token>`.
public struct LoginResponse: Codable, Sendable, Equatable {
    /// 43 characters of base64url (32 random bytes). Shown once; the server keeps only a hash.
    public var token: String
    public var expiresAt: Date
    public var user: String

    public init(token: String, expiresAt: Date, user: String) {
        self.token = token
        self.expiresAt = expiresAt
        self.user = user
    }
}

/// `GET /v1/vector` → 200: the highest contiguous seq the vault holds, per site.
public struct VectorResponse: Codable, Sendable, Equatable {
    public var vector: VersionVector

    public init(vector: VersionVector) { self.vector = vector }
}

/// `POST /v1/changes` body: one batch of one site's changes, in seq order, contiguous, the first
/// at most the server's `vector[site] + 1`. Stored all or nothing.
public struct PushRequest: Codable, Sendable, Equatable {
    public var schema: Int
    public var site: String
    public var changes: [Change]

    public init(schema: Int = Wire.schemaVersion, site: String, changes: [Change]) {
        self.schema = schema
        self.site = site
        self.changes = changes
    }
}

/// `POST /v1/changes` → 200.
public struct PushResponse: Codable, Sendable, Equatable {
    public var site: String
    /// Records newly stored.
    public var accepted: Int
    /// Records the server already held with the same hash (a retried batch).
    public var skipped: Int
    /// The server's `vector[site]` after the batch: the new version-vector entry.
    public var seq: Int64

    public init(site: String, accepted: Int, skipped: Int, seq: Int64) {
        self.site = site
        self.accepted = accepted
        self.skipped = skipped
        self.seq = seq
    }
}

/// `GET /v1/sites/{site}/changes?after=N&limit=M` → 200: the site's changes above `after`, in seq
/// order. `more` is true when the server holds changes above the last one returned (ask again
/// with `after` = that seq); the server may return fewer than `limit` to bound the response size.
public struct PullResponse: Codable, Sendable, Equatable {
    public var site: String
    public var changes: [Change]
    public var more: Bool

    public init(site: String, changes: [Change], more: Bool) {
        self.site = site
        self.changes = changes
        self.more = more
    }
}
