import Foundation
import GRDB

/// Every error `GlossStorage` reports: what happened and what to do, in the project's form
/// `<what happened> (<what to do>)` (STYLE.md 3). A struct over a code, so new cases do not
/// break callers; compare `code` to tell cases apart.
public struct StorageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Which kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }

        public static let unknownId = Code(name: "unknown_id")
        public static let ambiguousId = Code(name: "ambiguous_id")
        public static let emptyNote = Code(name: "empty_note")
        public static let invalidInput = Code(name: "invalid_input")
        public static let notADatabase = Code(name: "not_a_database")
        public static let corrupt = Code(name: "corrupt")
        public static let readOnly = Code(name: "read_only")
        public static let locked = Code(name: "locked")
        public static let valueTooLarge = Code(name: "value_too_large")
        public static let forkedLog = Code(name: "forked_log")
        public static let gap = Code(name: "gap")
        public static let badHash = Code(name: "bad_hash")
        public static let notFound = Code(name: "not_found")
        public static let io = Code(name: "io")
    }

    public let code: Code
    /// What happened.
    public let message: String
    /// What to do about it.
    public let hint: String

    public init(_ code: Code, _ message: String, hint: String) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message) (\(hint))" }

    // MARK: Made in one place

    static func unknownId(_ id: String) -> StorageError {
        StorageError(.unknownId, "no note or article with id \(id)", hint: "see `gloss note list`, `gloss list` or `gloss trash` for ids")
    }

    static func ambiguousId(_ prefix: String, candidates: [String]) -> StorageError {
        StorageError(
            .ambiguousId, "id prefix \(prefix) is ambiguous: it matches \(candidates.joined(separator: ", "))",
            hint: "type more characters of the id")
    }

    static func emptyNote() -> StorageError {
        StorageError(.emptyNote, "the note is empty", hint: "write some text, or give --quote to save a highlight")
    }

    static func invalid(_ message: String, hint: String) -> StorageError {
        StorageError(.invalidInput, message, hint: hint)
    }

    static func notADatabase(_ file: URL) -> StorageError {
        StorageError(
            .notADatabase, "\(file.path) is not a Gloss library",
            hint: "move the file away, or point GLOSS_HOME at another folder")
    }

    static func corrupt(_ file: URL, detail: String) -> StorageError {
        StorageError(
            .corrupt, "the library \(file.path) is damaged: \(detail)",
            hint: "restore it from a backup or sync from another machine into a fresh library")
    }

    static func readOnly(_ path: String) -> StorageError {
        StorageError(
            .readOnly, "cannot write to \(path): the directory or file is read-only",
            hint: "check its permissions, or point GLOSS_HOME at a writable folder")
    }

    static func locked(_ file: URL) -> StorageError {
        StorageError(
            .locked, "the library \(file.path) is locked by another process",
            hint: "wait for the other gloss command to finish and try again")
    }

    static func valueTooLarge(_ field: String, bytes: Int) -> StorageError {
        StorageError(
            .valueTooLarge, "the \(field) value is \(bytes) bytes, over the \(Change.maxValueBytes)-byte limit of one change",
            hint: "shorten it")
    }

    static func forked(_ ref: ChangeRef) -> StorageError {
        StorageError(
            .forkedLog, "change \(ref) arrived with content different from the one already held: the log of site \(ref.site) is forked",
            hint: "a copied library or restored backup wrote under another replica's site id; do not sync it, report the site id")
    }

    static func gap(_ ref: ChangeRef, expected: Int64) -> StorageError {
        StorageError(
            .gap, "change \(ref) does not follow this library's copy of site \(ref.site) (expected seq \(expected))",
            hint: "changes must be applied in seq order per site; sync again from the start of the missing range")
    }

    static func badHash(_ ref: ChangeRef, _ detail: String) -> StorageError {
        StorageError(
            .badHash, "change \(ref) failed verification: \(detail)",
            hint: "the change was damaged or altered in transit; it was not applied")
    }
}

extension StorageError {
    /// Turns an SQLite failure into the error a user can act on.
    static func from(_ error: any Error, file: URL) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_NOTADB: return notADatabase(file)
        case .SQLITE_CORRUPT: return corrupt(file, detail: error.message ?? "malformed database")
        case .SQLITE_BUSY, .SQLITE_LOCKED: return locked(file)
        case .SQLITE_READONLY: return readOnly(file.path)
        case .SQLITE_CANTOPEN: return readOnly(file.deletingLastPathComponent().path)
        case .SQLITE_FULL:
            return StorageError(.io, "the disk holding \(file.path) is full", hint: "free some space and try again")
        case .SQLITE_IOERR:
            return StorageError(.io, "reading or writing \(file.path) failed: \(error.message ?? "I/O error")", hint: "check the disk and the file's permissions")
        default:
            return error
        }
    }
}
