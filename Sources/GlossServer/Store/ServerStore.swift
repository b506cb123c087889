import Foundation
import GlossStorage
import GlossSync

/// A vault: the union of every site's log that one account syncs. Each account owns exactly one,
/// keyed by its user id; every log query takes one, so no query can reach across accounts.
public struct VaultID: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// An account as the store keeps it.
public struct UserRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// The self-describing scrypt hash (`PasswordHasher`).
    public var passwordHash: String
    public var createdAt: Date

    public init(id: Int64, name: String, passwordHash: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }

    /// The account's vault.
    public var vault: VaultID { VaultID(id) }
}

/// One line of `gloss serve user list`.
public struct UserSummary: Codable, Sendable, Equatable {
    public var name: String
    public var createdAt: Date
    /// Sites with at least one change in the user's vault.
    public var sites: Int
    /// Changes held in the vault.
    public var changes: Int64

    public init(name: String, createdAt: Date, sites: Int, changes: Int64) {
        self.name = name
        self.createdAt = createdAt
        self.sites = sites
        self.changes = changes
    }
}

/// What a bearer token's hash names.
public enum TokenStatus: Sendable, Equatable {
    case valid(UserRecord)
    case expired
    /// Never issued, revoked, or its user removed.
    case unknown
}

/// The outcome of a stored push batch.
public struct AppendResult: Sendable, Equatable {
    public var accepted: Int
    public var skipped: Int
    /// The vault's `vector[site]` after the batch.
    public var head: Int64

    public init(accepted: Int, skipped: Int, head: Int64) {
        self.accepted = accepted
        self.skipped = skipped
        self.head = head
    }
}

/// A page of one site's log.
public struct ChangePage: Sendable, Equatable {
    public var changes: [Change]
    /// True when the vault holds changes above the last one in `changes`.
    public var more: Bool

    public init(changes: [Change], more: Bool) {
        self.changes = changes
        self.more = more
    }
}

/// Where a server keeps accounts, token hashes and vaults. The HTTP layer speaks only this
/// protocol, so stores are interchangeable: `SQLiteServerStore` (one file, one process) and a
/// PostgreSQL store (several processes sharing a database).
///
/// Contract every implementation keeps:
/// - Log methods are scoped by a `VaultID`; nothing crosses vaults.
/// - `append` is one transaction: it stores the whole batch or nothing, and enforces per-site
///   continuity and the hash chain against what is held *inside* that transaction
///   (`PushCheck.plan`), so concurrent pushes (several processes) cannot interleave into a gap
///   or a fork. A rejected batch throws `PushRejection`.
/// - Token hashes are stored, never tokens; a removed user's tokens and vault go with it.
/// - Failures of the store itself throw `ServerStoreError.unavailable` (the API answers 503).
public protocol ServerStore: Sendable {
    // Accounts.
    /// Creates an account. Throws `ServerStoreError.userExists` if the name is taken.
    func addUser(name: String, passwordHash: String, createdAt: Date) async throws -> UserRecord
    func user(named name: String) async throws -> UserRecord?
    /// Every account, by name.
    func userSummaries() async throws -> [UserSummary]
    /// Removes an account, its tokens and its vault. Returns false if there was no such user.
    func removeUser(named name: String) async throws -> Bool

    // Tokens (SHA-256 hex of the bearer token).
    /// Stores a new token; may also drop the user's tokens that expired more than a week ago.
    func addToken(hash: String, user: Int64, createdAt: Date, expiresAt: Date) async throws
    func tokenStatus(hash: String, now: Date) async throws -> TokenStatus
    /// Revokes a token; revoking an unknown token is not an error.
    func revokeToken(hash: String) async throws

    // Vaults.
    /// The highest contiguous seq held per site.
    func versionVector(vault: VaultID) async throws -> VersionVector
    /// Appends a batch that passed `PushCheck.validate` (one site, contiguous, chained, hashes
    /// verified) — all or nothing.
    func append(vault: VaultID, site: String, changes: [Change]) async throws -> AppendResult
    /// Changes of `site` with seq above `after`, in seq order: at most `limit`, and no more once
    /// their encoded size passes `maxBytes` (but always at least one when any exist).
    func changes(vault: VaultID, site: String, after: Int64, limit: Int, maxBytes: Int) async throws
        -> ChangePage

    /// Releases connections and files.
    func close() async throws
}

/// Errors of a store, for people: `<what happened> (<what to do>)`.
public enum ServerStoreError: Error, CustomStringConvertible, Equatable {
    case userExists(String)
    case noSuchUser(String)
    case invalidUserName(String)
    case unavailable(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .userExists(let name):
            "user \(name) already exists (pick another name, or remove it with `gloss serve user rm \(name)`)"
        case .noSuchUser(let name):
            "no user named \(name) (see `gloss serve user list`)"
        case .invalidUserName(let name):
            "invalid user name \"\(name)\" (use 1–64 letters, digits, '.', '_' or '-')"
        case .unavailable(let detail):
            "the server store is unavailable: \(detail) (check the data directory or database, then retry)"
        case .corrupt(let detail):
            "the server store holds an unreadable record: \(detail) (restore the store from a backup)"
        }
    }

    /// User names: 1–64 of `[A-Za-z0-9._-]`, not starting with '-' or '.'.
    public static func validateUserName(_ name: String) throws {
        let ok = (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { c in
                (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c)
                    || c == 46 || c == 95 || c == 45
            }
            && name.first != "-" && name.first != "."
        if !ok { throw ServerStoreError.invalidUserName(name) }
    }
}
