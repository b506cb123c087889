import GlossStorage
import GlossSync

/// Why a push batch was refused; the HTTP layer answers with its code and stores nothing.
public struct PushRejection: Error, Equatable, CustomStringConvertible {
    public var code: WireErrorCode
    public var message: String

    public init(_ code: WireErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// The push rules (SYNC-NOTES R12–R15), as pure functions every store shares, so that SQLite
/// and PostgreSQL refuse exactly the same batches.
public enum PushCheck {
    /// Longest accepted `entityId` and `field`, in UTF-8 bytes.
    public static let maxNameBytes = 256

    /// Checks a batch on its own, before any store is touched: the schema, the declared site,
    /// the count, and per record its site, seq, sizes, hash and chain to the record before it.
    public static func validate(_ request: PushRequest, maxChanges: Int) throws(PushRejection) {
        guard request.schema == Wire.schemaVersion else {
            throw PushRejection(
                .schemaVersion,
                "schema \(request.schema) is not supported; this server speaks schema \(Wire.schemaVersion)")
        }
        guard Site.isValid(request.site) else {
            throw PushRejection(.badRequest, "site must be 32 lowercase hex digits")
        }
        guard request.changes.count <= maxChanges else {
            throw PushRejection(
                .batchTooLarge,
                "a batch holds at most \(maxChanges) changes; this one has \(request.changes.count)")
        }
        var previous: Change?
        for change in request.changes {
            guard change.site == request.site else {
                throw PushRejection(
                    .siteMismatch,
                    "change \(change.site):\(change.seq) is not of the batch's site \(request.site)")
            }
            guard change.seq >= 1 else {
                throw PushRejection(.badRequest, "seq must be 1 or more (got \(change.seq))")
            }
            if let previous, change.seq != previous.seq + 1 {
                throw PushRejection(
                    .seqGap, "seq \(change.seq) follows \(previous.seq): a batch must be contiguous")
            }
            guard !change.entityId.isEmpty, change.entityId.utf8.count <= maxNameBytes,
                !change.field.isEmpty, change.field.utf8.count <= maxNameBytes
            else {
                throw PushRejection(
                    .badRequest, "change \(change.ref): entityId and field must be 1–\(maxNameBytes) bytes")
            }
            guard change.valueBytes <= Change.maxValueBytes else {
                throw PushRejection(
                    .tooLarge,
                    "change \(change.ref) has a \(change.valueBytes)-byte value; the cap is \(Change.maxValueBytes)")
            }
            guard change.hashIsValid else {
                throw PushRejection(.badHash, "change \(change.ref): hash does not match its content")
            }
            if let previous {
                guard change.prev == previous.hash else {
                    throw PushRejection(
                        .hashMismatch, "change \(change.ref): prev is not the hash of seq \(previous.seq)")
                }
            } else if change.seq == 1, !change.prev.isEmpty {
                throw PushRejection(.hashMismatch, "change \(change.ref): the first change has no prev")
            }
            previous = change
        }
    }

    /// The head of one site's log in a vault: its last seq and that record's hash.
    public struct Head: Sendable, Equatable {
        public var seq: Int64
        public var hash: String
        public init(seq: Int64, hash: String) {
            self.seq = seq
            self.hash = hash
        }
    }

    /// Decides, against what the vault holds, which records of a validated batch to insert.
    /// - Parameters:
    ///   - batch: the validated batch (contiguous, chained).
    ///   - head: the site's head in the vault, nil when it holds none.
    ///   - heldHashes: hashes the vault holds for the batch's seqs up to `head.seq`.
    /// - Returns: the records to insert (a suffix of `batch`) and how many were already held.
    public static func plan(batch: [Change], head: Head?, heldHashes: [Int64: String])
        throws(PushRejection) -> (insert: ArraySlice<Change>, skipped: Int)
    {
        guard let first = batch.first else { return (batch[...], 0) }
        let held = head?.seq ?? 0
        guard first.seq <= held + 1 else {
            throw PushRejection(
                .seqGap,
                "the batch starts at seq \(first.seq) but the server holds \(first.site) only up to \(held)")
        }
        var skipped = 0
        for change in batch where change.seq <= held {
            guard let hash = heldHashes[change.seq] else {
                throw PushRejection(.internal, "the server's log of \(change.site) has a hole at \(change.seq)")
            }
            guard hash == change.hash else {
                throw PushRejection(
                    .siteForked,
                    "the server holds a different change at \(change.ref): two replicas share site \(change.site)")
            }
            skipped += 1
        }
        let insert = batch.dropFirst(skipped)
        if let next = insert.first, let head, next.seq == head.seq + 1, next.prev != head.hash {
            throw PushRejection(
                .siteForked,
                "change \(next.ref) does not follow the server's seq \(head.seq): two replicas share site \(next.site)")
        }
        return (insert, skipped)
    }
}
