import Foundation
import GlossStorage

/// The JSON backup (`gloss export --format json`): the library's whole change log, every change
/// with its original site, seq and stamps (DESIGN §4). Restoring applies it like a pull.
struct Backup: Codable {
    static let formatName = "gloss-backup"
    static let currentVersion = 1

    var format: String
    var version: Int
    /// The exporting library's site.
    var site: String
    var exportedAt: Date
    var versionVector: [String: Int64]
    var changes: [Change]

    /// Every change of `library`, per site in seq order.
    static func make(from library: Library) throws -> Backup {
        let vector = try library.versionVector()
        var changes: [Change] = []
        var table: [String: Int64] = [:]
        for site in vector.keys.sorted() {
            var after: Int64 = 0
            while true {
                let batch = try library.changes(site: site, after: after, limit: 1000)
                guard let last = batch.last else { break }
                changes += batch
                after = last.seq
            }
            table[site] = after
        }
        return Backup(
            format: formatName, version: currentVersion, site: try library.site(), exportedAt: Date(),
            versionVector: table, changes: changes)
    }

    static func read(_ path: String) throws -> Backup {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read the backup \(path)", hint: "check the path")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let backup: Backup
        do {
            backup = try decoder.decode(Backup.self, from: data)
        } catch {
            throw CLIError(
                "\(path) is not a Gloss backup", hint: "make one with gloss export --format json --out FILE")
        }
        guard backup.format == formatName else {
            throw CLIError("\(path) is not a Gloss backup", hint: "make one with gloss export --format json --out FILE")
        }
        guard backup.version <= currentVersion else {
            throw CLIError("\(path) was made by a newer Gloss (backup version \(backup.version))", hint: "update gloss")
        }
        return backup
    }
}
