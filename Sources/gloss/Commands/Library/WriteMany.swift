import ArgumentParser
import Foundation
import GlossStorage

/// A test helper (hidden): writes notes one transaction at a time, printing a line after each,
/// so a crash test can kill it mid-write.
struct WriteManyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_write-many", shouldDisplay: false)

    @Argument var count: Int

    func run() throws {
        let library = try LibraryAccess.open()
        for i in 0..<count {
            let note = try library.createNote(body: "stress note \(i) 東京", tags: ["stress"])
            if i % 3 == 0 { try library.editNote(note.id, body: "stress note \(i) edited") }
            if i % 5 == 0 { try library.deleteNote(note.id) }
            FileHandle.standardOutput.write(Data("ok \(i)\n".utf8))
        }
    }
}
