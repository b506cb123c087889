import GlossStorage

/// Errors of the sync engine and its remotes. Each reads `<what happened> (<what to do>)`.
public struct SyncError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is, for callers that branch on it.
    public enum Kind: String, Sendable, Hashable {
        /// The remote holds seqs of this library's own site beyond its own: a copied library.
        case cloned
        /// The same `(site, seq)` exists with different content: a forked log.
        case forked
        /// A batch would leave a hole in a site's log.
        case gap
        /// A file or record on the remote fails verification (bad JSON, hash, chain, name).
        case damaged
        /// The remote cannot be reached or written (missing folder, permissions, I/O).
        case unavailable
        /// Remote configuration problems: unknown name, duplicate name, unsupported URL.
        case config
        /// The remote wants a login: none stored, a wrong password, an expired or revoked token.
        case auth
        /// The remote refused a request that retrying cannot fix (a 4xx other than the above).
        case refused
    }

    public var kind: Kind
    public var message: String
    public var hint: String

    public init(_ kind: Kind, _ message: String, hint: String) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message) (\(hint))" }
}
