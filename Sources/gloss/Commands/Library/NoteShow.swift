import ArgumentParser
import GlossStorage

struct NoteShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one note.")

    @Argument(help: "The note's id or a unique prefix.")
    var id: String

    @Flag(help: "Print the note as JSON.")
    var json = false

    func run() throws {
        let library = try LibraryAccess.open()
        let note = try library.note(LibraryAccess.resolve(library, id, [.note]).id)
        if json { return try JSONOutput.print(note) }
        var rows = [["id", note.id]]
        if let articleId = note.articleId {
            let title = (try? library.article(articleId).title) ?? nil
            rows.append(["article", articleId + (title.map { "  \($0)" } ?? "")])
        }
        if let anchor = note.anchor {
            let text = (try? library.article(note.articleId ?? "").text) ?? nil
            let orphaned = text.map { anchor.resolve(in: $0) == nil } ?? true
            rows.append(["quote", "“\(anchor.exact)”" + (orphaned ? Terminal.style("  (orphaned: passage not found)", "31") : "")])
        }
        if !note.tags.isEmpty { rows.append(["tags", note.tags.joined(separator: ", ")]) }
        rows.append(["created", LibraryAccess.date(note.createdAt)])
        rows.append(["updated", LibraryAccess.date(note.updatedAt)])
        if note.deleted { rows.append(["status", "in the trash"]) }
        if note.conflictCount > 0 { rows.append(["conflicts", "\(note.conflictCount) (see gloss conflicts)"]) }
        print(LibraryAccess.table(rows.map { [Terminal.style($0[0] + ":", "2"), $0[1]] }))
        if !note.body.isEmpty { print("\n" + note.body) }
    }
}
