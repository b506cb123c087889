import GlossStorage

/// A place change records travel through: a folder, a Gloss server. The sync engine speaks only
/// this protocol, so transports are interchangeable (DESIGN.md §4).
///
/// Every method is idempotent: a retried call after an interruption is harmless.
public protocol Remote: Sendable {
    /// The highest contiguous seq the remote holds, per site.
    func versionVector() async throws -> VersionVector

    /// Appends `changes` — all of one `site`, in seq order, contiguous, the first one at most
    /// the remote's `vector[site] + 1` — to the remote's copy of that site's log. Records the
    /// remote already holds with the same hash are skipped; the same `(site, seq)` with another
    /// hash is an error (a forked log).
    func push(site: String, changes: [Change]) async throws

    /// The changes of `site` with seq above `after`, in seq order, at most `limit` of them.
    func pull(site: String, after: Int64, limit: Int) async throws -> [Change]

    /// What the user should know about the exchanges so far (e.g. clock skew against a server);
    /// the engine adds them to its report. None by default.
    var warnings: [String] { get }
}

extension Remote {
    public var warnings: [String] { [] }
}
