import Foundation
import GRDB

/// A Gloss library: one folder holding `library.sqlite`, the local replica (DESIGN §2–§3).
///
/// Every write is one SQLite transaction that appends its change records and materializes them
/// through the same code that applies changes pulled from other replicas (`apply`). The handle
/// is safe to share between threads; several processes may open the same library at once (WAL,
/// writes serialized by SQLite's lock with a busy timeout).
public final class Library: Sendable {
    /// How a library is opened.
    public struct Options: Sendable {
        /// The wall clock in Unix milliseconds. Injected so tests can skew it; the default reads
        /// the system clock.
        public var wall: @Sendable () -> Int64
        /// How far past the wall clock a received stamp may move the local clock (SYNC-NOTES R2).
        public var maxDrift: Int64
        /// How long a write waits for another process's write before failing with `locked`.
        public var busyTimeout: TimeInterval

        public init(
            wall: @escaping @Sendable () -> Int64 = Library.systemWall, maxDrift: Int64 = 60_000,
            busyTimeout: TimeInterval = 5
        ) {
            self.wall = wall
            self.maxDrift = maxDrift
            self.busyTimeout = busyTimeout
        }
    }

    /// The system clock in Unix milliseconds.
    public static let systemWall: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The file name of the database inside the library folder.
    public static let databaseName = "library.sqlite"

    /// The library folder.
    public let folder: URL
    /// The database file.
    public let file: URL
    let pool: DatabasePool
    let options: Options

    private init(folder: URL, file: URL, pool: DatabasePool, options: Options) {
        self.folder = folder
        self.file = file
        self.pool = pool
        self.options = options
    }

    /// Opens the library in `folder`, creating the folder (0700) and the database when missing.
    ///
    /// Refuses a file that is not a Gloss library or is damaged, a read-only folder, and reports
    /// a database held by another process after `busyTimeout`. When the database file is not the
    /// one this library last ran from (the folder was copied or restored), the library takes a new
    /// site id before any write, so a copy never writes under its original's site (DESIGN §3).
    public static func open(folder: URL, options: Options = .init()) throws -> Library {
        let folder = folder.standardizedFileURL
        let file = folder.appendingPathComponent(databaseName)
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if !fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            do {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StorageError.readOnly(folder.deletingLastPathComponent().path)
            }
        } else if !isDirectory.boolValue {
            throw StorageError.invalid("\(folder.path) is a file, not a library folder", hint: "point GLOSS_HOME at a folder")
        }
        rollBackHotJournal(file)
        try checkHeader(file)
        if access(folder.path, W_OK) != 0 { throw StorageError.readOnly(folder.path) }
        if fm.fileExists(atPath: file.path), access(file.path, W_OK) != 0 { throw StorageError.readOnly(file.path) }

        try preflight(file)

        var config = Configuration()
        config.busyMode = .timeout(options.busyTimeout)
        config.prepareDatabase { db in
            db.add(tokenizer: CJKTokenizer.self)
            if !db.configuration.readonly {
                // The writer: a page cache big enough for a large pull's index pages, and a
                // checkpoint every 8,192 WAL pages (32 MiB) rather than SQLite's 1,000, so a
                // batch's pages are not copied into the database file after every commit.
                try db.execute(sql: "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 8192")
            }
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: file.path, configuration: config)
        } catch {
            throw StorageError.from(error, file: file)
        }
        let library = Library(folder: folder, file: file, pool: pool, options: options)
        do {
            try library.prepare()
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.from(error, file: file)
        }
        return library
    }

    /// SQLite files start with this header; anything else is not a database at all.
    private static func checkHeader(_ file: URL) throws {
        guard let handle = FileHandle(forReadingAtPath: file.path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }  // an empty file is an empty database
        if header != Data("SQLite format 3\u{0}".utf8) { throw StorageError.notADatabase(file) }
    }

    /// Looks at an existing file read-only before the pool opens it (which would switch it to
    /// WAL): a foreign SQLite database or a damaged one is refused untouched.
    private static func preflight(_ file: URL) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        guard size > 0 else { return }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(1)
        do {
            let queue = try DatabaseQueue(path: file.path, configuration: config)
            try queue.read { db in
                if try db.tableExists("meta") {
                    if try !Schema.isGloss(db) { throw StorageError.notADatabase(file) }
                } else if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") ?? 0 > 0 {
                    throw StorageError.notADatabase(file)
                }
            }
            try queue.close()
        } catch let error as StorageError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw StorageError.from(error, file: file)
        } catch {
            // Busy, a hot journal of a library being created by another process, a -shm that is
            // not ours to make…: not a verdict on the file. The pool opens it and decides.
            return
        }
    }

    /// A process killed while it created the library (before the file switched to WAL) leaves a
    /// hot rollback journal beside a half-written file (its header possibly not yet written),
    /// which the header check and a read-only connection would judge as it stands. A writable
    /// connection's first read rolls the journal back, as any SQLite client would; a journal a
    /// live writer still holds is left alone (SQLite checks its lock).
    private static func rollBackHotJournal(_ file: URL) {
        guard FileManager.default.fileExists(atPath: file.path + "-journal") else { return }
        var config = Configuration()
        config.busyMode = .timeout(1)
        guard let queue = try? DatabaseQueue(path: file.path, configuration: config) else { return }
        _ = try? queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        try? queue.close()
    }

    /// Migrates when needed, makes the replica row, and detects a copied library.
    private func prepare() throws {
        let (current, row) = try pool.read { db -> (Bool, Row?) in
            let current = try Schema.isCurrent(db)
            if !current, try db.tableExists("meta"), try !Schema.isGloss(db) { throw StorageError.notADatabase(file) }
            return (current, current ? try Row.fetchOne(db, sql: "SELECT * FROM replica WHERE id = 1") : nil)
        }
        let identity = try fileIdentity()
        if current, let row, row["device"] as Int64? == identity.device, row["inode"] as Int64? == identity.inode {
            if row["path"] as String? != file.path {
                try writeReplicaMeta(identity)
            }
            return
        }
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try Schema.migrate(db, file: file)
                let wall = options.wall()
                if let row = try Row.fetchOne(db, sql: "SELECT * FROM replica WHERE id = 1") {
                    let device: Int64? = row["device"], inode: Int64? = row["inode"]
                    if device != identity.device || inode != identity.inode {
                        // Another file than the one this replica ran from: a copy. New site.
                        try Replica.rotateSite(db, wall: wall, reason: "copied library detected (\(row["path"] as String? ?? "?") → \(file.path))")
                    }
                } else {
                    let site = Site.random()
                    try db.execute(
                        sql: "INSERT INTO replica (id, site, clock) VALUES (1, ?, 0)", arguments: [site])
                    try db.execute(
                        sql: "INSERT INTO sites (site, since, reason) VALUES (?, ?, 'library created')",
                        arguments: [site, wall])
                }
                try db.execute(
                    sql: "UPDATE replica SET device = ?, inode = ?, path = ? WHERE id = 1",
                    arguments: [identity.device, identity.inode, file.path])
                return .commit
            }
        }
    }

    private func writeReplicaMeta(_ identity: (device: Int64, inode: Int64)) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE replica SET path = ? WHERE id = 1", arguments: [file.path])
        }
    }

    private func fileIdentity() throws -> (device: Int64, inode: Int64) {
        var info = stat()
        guard stat(file.path, &info) == 0 else {
            throw StorageError(.io, "cannot read \(file.path)", hint: "check the folder's permissions")
        }
        return (Int64(bitPattern: UInt64(info.st_dev)), Int64(bitPattern: UInt64(info.st_ino)))
    }

    // MARK: Access

    /// Runs `body` in one write transaction with a replica context (site, clock, change
    /// appending). Everything `body` does commits together, or nothing does.
    func transaction<T>(_ body: (Replica) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    let replica = try Replica(db: db, options: options)
                    result = try body(replica)
                    try replica.finish()
                    return .commit
                }
                return result!
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.from(error, file: file)
        }
    }

    /// Runs a read on a consistent snapshot, mapping SQLite errors.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.from(error, file: file)
        }
    }

    /// Runs several writes as one transaction (e.g. a bulk import): each still logs its own
    /// change records; they all commit together or not at all.
    @discardableResult
    public func write<T>(_ body: (LibraryWriter) throws -> T) throws -> T {
        try transaction { replica in try body(LibraryWriter(replica: replica)) }
    }

    // MARK: Replica identity

    /// The site id this library writes as now.
    public func site() throws -> String {
        try read { db in try String.fetchOne(db, sql: "SELECT site FROM replica WHERE id = 1") ?? "" }
    }

    /// Every site this library has written as, oldest first (a copy takes a new one).
    public func siteHistory() throws -> [SiteRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT site, since, reason FROM sites ORDER BY since, rowid").map {
                SiteRecord(site: $0["site"], since: Date(millis: $0["since"]), reason: $0["reason"])
            }
        }
    }

    /// Runs SQLite's `integrity_check` and checks the log against the tables: replaying every
    /// change into an empty library gives this library's state. Returns the problems found
    /// (empty when all is well).
    public func verify() throws -> [String] {
        var problems = try read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        }
        let orphans = try read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM notes WHERE id NOT IN (SELECT entity_id FROM changes WHERE entity = 'note')
                    UNION ALL
                    SELECT id FROM articles WHERE id NOT IN (SELECT entity_id FROM changes WHERE entity = 'article')
                    UNION ALL
                    SELECT DISTINCT entity_id FROM changes WHERE entity = 'note' AND entity_id NOT IN (SELECT id FROM notes)
                    UNION ALL
                    SELECT DISTINCT entity_id FROM changes WHERE entity = 'article' AND entity_id NOT IN (SELECT id FROM articles)
                    """)
        }
        problems += orphans.map { "entity \($0) has a row without change records or change records without a row" }
        problems += try read { db in
            var held: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT entity_id, site, seq FROM changes WHERE entity = 'note' AND field = 'body'") {
                held[row[0], default: []].insert(ChangeRef(site: row[1], seq: row[2]).description)
            }
            return try Row.fetchAll(db, sql: "SELECT id, revisions FROM notes ORDER BY id").compactMap { row in
                let id: String = row[0]
                let listed = (row[1] as String).split(separator: ",").map(String.init)
                let exact = Set(listed).count == listed.count && Set(listed) == held[id] ?? []
                return exact ? nil : "note \(id) does not list exactly its body revisions"
            }
        }
        problems += try read { db in
            let stale = try String.fetchAll(
                db,
                sql: """
                    SELECT n.id FROM notes n LEFT JOIN search s ON s.rowid = n.num * 2
                    WHERE n.deleted = 0 AND (s.rowid IS NULL OR s.body IS NOT n.body OR s.title != '')
                    UNION ALL
                    SELECT a.id FROM articles a LEFT JOIN search s ON s.rowid = a.num * 2 + 1
                    WHERE a.deleted = 0
                      AND (s.rowid IS NULL OR s.title IS NOT coalesce(a.title, '') OR s.body IS NOT coalesce(a.text, ''))
                    """)
            let live = try Int.fetchOne(
                db, sql: "SELECT (SELECT count(*) FROM notes WHERE deleted = 0) + (SELECT count(*) FROM articles WHERE deleted = 0)")
            let indexed = try Int.fetchOne(db, sql: "SELECT count(*) FROM search")
            return stale.map { "the search index does not hold the current text of \($0)" }
                + (live == indexed ? [] : ["the search index holds \(indexed ?? 0) entries for \(live ?? 0) live notes and articles"])
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-verify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let replay = try Library.open(folder: scratch, options: options)
        for (site, top) in try versionVector().sorted(by: { $0.key < $1.key }) {
            var after: Int64 = 0
            while after < top {
                let batch = try changes(site: site, after: after, limit: 5_000)
                guard let last = batch.last else { break }
                _ = try replay.apply(batch)
                after = last.seq
            }
        }
        if try replay.canonicalDump() != canonicalDump() {
            problems.append("the tables differ from what the change log says")
        }
        return problems
    }
}

extension Date {
    init(millis: Int64) { self.init(timeIntervalSince1970: Double(millis) / 1000) }
}
