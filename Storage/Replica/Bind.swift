import GRDB
import GRDBSQLite

/// Runs a cached GRDB statement with its arguments bound through SQLite's C API: the hot inserts
/// of a big pull (the log, new rows, stamps, tag registers), where building `StatementArguments` — an
/// array of boxed values per row — costs more than SQLite's own work. Other statements use
/// GRDB's `execute`, which resets and rebinds, so sharing a cached statement is safe.
struct Bind {
    private let handle: OpaquePointer
    private var index: CInt = 1

    /// Binds what `bind` sets, in order, then steps `statement` to completion and resets it.
    static func run(_ statement: Statement, _ bind: (inout Bind) -> Void) throws {
        var binder = Bind(handle: statement.sqliteStatement)
        sqlite3_reset(binder.handle)
        bind(&binder)
        // Every parameter is bound on each run (a missed one would keep the previous row's value).
        guard binder.index - 1 == sqlite3_bind_parameter_count(binder.handle) else {
            throw DatabaseError(
                resultCode: .SQLITE_RANGE, message: "bound \(binder.index - 1) values for \(sqlite3_bind_parameter_count(binder.handle)) parameters",
                sql: statement.sql)
        }
        let code = sqlite3_step(binder.handle)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(binder.handle)))
            sqlite3_reset(binder.handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        sqlite3_reset(binder.handle)
    }

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// SQLite copies the bytes (SQLITE_TRANSIENT): the Swift string need not outlive the call.
    private static let transient = unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)

    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            // An empty buffer may have no address, and a null pointer would bind NULL, not ''.
            if let base = bytes.baseAddress {
                _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), CInt(bytes.count), Self.transient)
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
        index += 1
    }

    mutating func text(_ value: String?) {
        if let value { text(value) } else { null() }
    }

    mutating func int(_ value: Int64) {
        _ = sqlite3_bind_int64(handle, index, value)
        index += 1
    }

    mutating func null() {
        _ = sqlite3_bind_null(handle, index)
        index += 1
    }

    mutating func double(_ value: Double) {
        _ = sqlite3_bind_double(handle, index, value)
        index += 1
    }
}
