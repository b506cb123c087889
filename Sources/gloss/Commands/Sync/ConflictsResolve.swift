import ArgumentParser
import GlossStorage

/// `gloss conflicts resolve NOTE_ID --keep current|REVISION_ID`
struct ConflictsResolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Keep one body for a note with conflicts, closing every other revision.",
        discussion: "The resolution is a normal edit: it syncs, and closes the revisions everywhere.")

    @Argument(help: "The note (any unique id prefix).") var noteId: String
    @Option(help: "`current` (the body shown) or a revision id from `gloss conflicts`.") var keep: String

    func validate() throws {
        if keep != "current", ChangeRef(keep) == nil {
            throw ValidationError("--keep takes `current` or a revision id like <site>:<seq>")
        }
    }

    func run() throws {
        let library = try SyncSupport.openLibrary()
        let id = try library.resolveId(noteId, kinds: [.note]).id
        let choice: ConflictChoice = keep == "current" ? .current : .revision(ChangeRef(keep)!)
        try library.resolveConflict(note: id, keep: choice)
        print("resolved note \(id)")
    }
}
