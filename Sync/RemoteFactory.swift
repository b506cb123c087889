import Foundation
import GlossStorage

/// Turns a remote's URL into a transport. The one place that knows URL schemes: a new
/// transport (WebDAV) is a new case in `normalize` and `make`.
public enum RemoteFactory {
    /// What a transport may need besides its URL: the library folder (for credentials kept
    /// beside the library) and the remote's name.
    public struct Context: Sendable {
        public var libraryFolder: URL
        public var remoteName: String

        public init(libraryFolder: URL, remoteName: String) {
            self.libraryFolder = libraryFolder
            self.remoteName = remoteName
        }
    }

    /// The canonical stored form of what the user typed in `gloss remote add`: a folder path
    /// becomes absolute (relative to `currentDirectory`), a `file://` URL its absolute path.
    public static func normalize(_ text: String, currentDirectory: URL) throws -> String {
        if let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme.count > 1 {
            switch scheme {
            case "http", "https":
                return try ServerAddress.normalize(text)
            case "file":
                guard url.host == nil || url.host == "" || url.host == "localhost", !url.path.isEmpty else {
                    throw SyncError(.config, "\(text) is not a local file URL", hint: "use file:///absolute/path")
                }
                return URL(fileURLWithPath: url.path).standardizedFileURL.path
            default:
                throw unsupported(text)
            }
        }
        guard !text.isEmpty else { throw unsupported(text) }
        let url = text.hasPrefix("/")
            ? URL(fileURLWithPath: text)
            : currentDirectory.appendingPathComponent(text)
        return url.standardizedFileURL.path
    }

    /// The transport for a stored URL.
    public static func make(url text: String, context: Context) throws -> any Remote {
        if text.hasPrefix("/") { return FolderRemote(root: URL(fileURLWithPath: text)) }
        if ServerAddress.isHTTP(text) {
            return try HTTPRemote.make(url: text, name: context.remoteName, libraryFolder: context.libraryFolder, requireLogin: true)
        }
        if let url = URL(string: text), url.scheme?.lowercased() == "file" {
            return FolderRemote(root: URL(fileURLWithPath: url.path))
        }
        throw unsupported(text)
    }

    /// Sets up a remote when it is added (a folder is created with its marker file; a server
    /// needs nothing until `gloss login`).
    public static func prepare(url text: String, context: Context) throws {
        if ServerAddress.isHTTP(text) { return }
        if let folder = try make(url: text, context: context) as? FolderRemote { try folder.prepare() }
    }

    static func unsupported(_ text: String) -> SyncError {
        SyncError(.config, "unsupported remote \(text)", hint: "give a folder path, a file:// URL or a server's http(s):// URL")
    }
}
