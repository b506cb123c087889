import Foundation

/// A login to one HTTP remote: the bearer token the server issued, for whom, and for which URL.
public struct Credential: Codable, Sendable, Hashable {
    /// The remote's name in this library.
    public var remote: String
    /// The remote's URL when the token was issued: a token is only ever sent there, so a remote
    /// re-added under the same name with another URL never receives it.
    public var url: String
    public var user: String
    public var token: String
    public var expiresAt: Date

    public init(remote: String, url: String, user: String, token: String, expiresAt: Date) {
        self.remote = remote
        self.url = url
        self.user = user
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// The tokens of one library, in `credentials.json` inside the library folder, mode 0600 from
/// the moment it exists (DESIGN §7: two libraries never share tokens). Writes go to a new file
/// created 0600 and then renamed over the old one.
public struct CredentialStore: Sendable {
    public static let fileName = "credentials.json"
    /// The library folder.
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    public var file: URL { folder.appendingPathComponent(Self.fileName) }

    struct Document: Codable {
        var version = 1
        var credentials: [Credential]
    }

    /// Every stored login.
    public func all() throws -> [Credential] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        do {
            return try Wire.decoder().decode(Document.self, from: data).credentials
        } catch {
            throw SyncError(.config, "\(file.path) is damaged", hint: "delete it and log in again")
        }
    }

    /// The login for `remote`, if it was made for `url`.
    public func credential(remote: String, url: String) throws -> Credential? {
        try all().first { $0.remote == remote && $0.url == url }
    }

    /// Stores `credential`, replacing any earlier login to the same remote.
    public func save(_ credential: Credential) throws {
        var all = try all().filter { $0.remote != credential.remote }
        all.append(credential)
        try write(all)
    }

    /// Forgets the login to `remote`; returns it, or nil when there was none.
    @discardableResult
    public func remove(remote: String) throws -> Credential? {
        let all = try all()
        guard let found = all.first(where: { $0.remote == remote }) else { return nil }
        try write(all.filter { $0.remote != remote })
        return found
    }

    private func write(_ credentials: [Credential]) throws {
        let encoder = Wire.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        let data = try encoder.encode(Document(credentials: credentials))
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temp = folder.appendingPathComponent(".\(Self.fileName).\(UUID().uuidString.lowercased())")
        let failure = SyncError(.unavailable, "cannot write \(file.path)", hint: "check that the library folder is writable")
        // open(2) with mode 0600, so the token is never readable by others, not even briefly.
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw failure }
        let written = data.withUnsafeBytes { buffer in
            buffer.isEmpty ? 0 : Foundation.write(fd, buffer.baseAddress, buffer.count)
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temp.path, file.path) == 0 else {
            unlink(temp.path)
            throw failure
        }
    }
}
