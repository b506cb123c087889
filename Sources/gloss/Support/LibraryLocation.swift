import Foundation

/// Where the library lives: `$GLOSS_HOME`, else `$XDG_DATA_HOME/gloss`, else
/// `~/.local/share/gloss` (DESIGN.md §7).
enum LibraryLocation {
    static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["GLOSS_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return URL(fileURLWithPath: data, isDirectory: true).appendingPathComponent("gloss")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true)
            .appendingPathComponent(".local/share/gloss", isDirectory: true)
    }
}
