import ArgumentParser
import GlossStorage

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show the change log, newest first.")

    @Option(help: "At most this many entries.")
    var limit = 50

    @Flag(help: "Print a JSON array of log entries.")
    var json = false

    func run() throws {
        let entries = try LibraryAccess.open().log(limit: limit)
        if json { return try JSONOutput.print(entries) }
        LibraryAccess.printLines(LibraryAccess.table(entries.map { entry in
            [
                LibraryAccess.date(entry.wall), Terminal.style("\(LibraryAccess.short(entry.site)):\(entry.seq)", "2"),
                entry.entity.rawValue, Terminal.style(LibraryAccess.short(entry.entityId), "33"), entry.field,
            ]
        }))
    }
}
