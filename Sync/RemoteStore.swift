import Foundation
import GlossStorage

/// One configured remote of a library and what this library last learned about it.
public struct RemoteConfig: Codable, Sendable, Hashable {
    /// The name the user gave (`gloss remote add NAME URL`).
    public var name: String
    /// Where it is: an absolute folder path, a `file://` URL, or (later) an `https://` URL.
    public var url: String
    /// The remote's version vector as of the last sync (to count unpushed changes offline).
    public var vector: VersionVector
    /// When the last sync with it finished.
    public var lastSync: Date?

    public init(name: String, url: String, vector: VersionVector = [:], lastSync: Date? = nil) {
        self.name = name
        self.url = url
        self.vector = vector
        self.lastSync = lastSync
    }
}

/// The remotes of one library, kept in `remotes.json` inside the library folder (mode 0600),
/// so two libraries never share remotes or their state (DESIGN §7). Writes replace the file
/// atomically.
public struct RemoteStore: Sendable {
    public static let fileName = "remotes.json"
    /// The library folder.
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    var file: URL { folder.appendingPathComponent(Self.fileName) }

    struct Document: Codable {
        var version = 1
        var remotes: [RemoteConfig]
    }

    /// Every configured remote, in the order added.
    public func all() throws -> [RemoteConfig] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Document.self, from: data).remotes
        } catch {
            throw SyncError(.config, "\(file.path) is damaged", hint: "fix or delete it and add the remotes again")
        }
    }

    /// The remote called `name`.
    public func remote(named name: String) throws -> RemoteConfig {
        guard let remote = try all().first(where: { $0.name == name }) else {
            throw SyncError(.config, "no remote named \(name)", hint: "see `gloss remote list`")
        }
        return remote
    }

    /// Adds a remote; names are unique.
    public func add(_ remote: RemoteConfig) throws {
        guard Self.isValidName(remote.name) else {
            throw SyncError(
                .config, "invalid remote name \(remote.name)",
                hint: "use 1–64 letters, digits, '.', '_' or '-', not starting with '-'")
        }
        var remotes = try all()
        if remotes.contains(where: { $0.name == remote.name }) {
            throw SyncError(.config, "a remote named \(remote.name) exists", hint: "pick another name or `gloss remote rm` it first")
        }
        remotes.append(remote)
        try save(remotes)
    }

    /// Removes the remote called `name`.
    public func remove(named name: String) throws {
        var remotes = try all()
        guard let index = remotes.firstIndex(where: { $0.name == name }) else {
            throw SyncError(.config, "no remote named \(name)", hint: "see `gloss remote list`")
        }
        remotes.remove(at: index)
        try save(remotes)
    }

    /// Replaces the stored state of `remote` (matched by name); a remote removed meanwhile
    /// stays removed.
    public func update(_ remote: RemoteConfig) throws {
        var remotes = try all()
        guard let index = remotes.firstIndex(where: { $0.name == remote.name }) else { return }
        remotes[index] = remote
        try save(remotes)
    }

    public static func isValidName(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        return (1...64).contains(name.count) && !name.hasPrefix("-") && name.allSatisfy(allowed.contains)
    }

    private func save(_ remotes: [RemoteConfig]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(Document(remotes: remotes))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temp = folder.appendingPathComponent(".\(Self.fileName).\(UUID().uuidString.lowercased())")
        guard FileManager.default.createFile(atPath: temp.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw SyncError(.unavailable, "cannot write \(file.path)", hint: "check that the library folder is writable")
        }
        guard rename(temp.path, file.path) == 0 else {
            unlink(temp.path)
            throw SyncError(.unavailable, "cannot write \(file.path)", hint: "check that the library folder is writable")
        }
    }
}
