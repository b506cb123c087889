import ArgumentParser
import GlossStorage

/// `gloss conflicts [list] [--json]` → `[{"noteId","body","revisions":[{"id","body","site","hlc"}]}]`
struct ConflictsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List notes with conflict revisions (the default).")

    @Flag(help: "Print JSON: [{\"noteId\",\"body\",\"revisions\":[{\"id\",\"body\",\"site\",\"hlc\"}]}].") var json = false

    func run() throws {
        let conflicts = try SyncSupport.openLibrary().conflicts()
        if json {
            try JSONOutput.print(conflicts)
            return
        }
        if conflicts.isEmpty { print("no conflicts") }
        for conflict in conflicts {
            print(Terminal.style("note \(conflict.noteId)", "1"))
            print("  current:")
            print(Self.indent(conflict.body))
            for revision in conflict.revisions {
                print("  revision \(revision.id):")
                print(Self.indent(revision.body))
            }
            print("  resolve: gloss conflicts resolve \(conflict.noteId) --keep current|REVISION_ID")
        }
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}
