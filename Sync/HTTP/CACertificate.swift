import Foundation

/// The extra CA certificate of an HTTP remote (`gloss remote add NAME URL --ca-cert FILE`).
///
/// The file is **copied** into the library, to `ca-certs/<remote>.pem` (mode 0600): the library
/// then holds everything its remotes need (DESIGN §7), and moving or deleting the original does
/// not break sync. A new certificate means removing and adding the remote again.
public enum CACertificate {
    /// Largest PEM file accepted: a chain of a few certificates is a few KiB.
    public static let maxBytes = 256 * 1024

    /// Where the copy for `remote` lives in the library at `libraryFolder`.
    public static func file(libraryFolder: URL, remote: String) -> URL {
        libraryFolder.appendingPathComponent("ca-certs", isDirectory: true).appendingPathComponent("\(remote).pem")
    }

    /// The copy's path if `remote` has one.
    public static func existing(libraryFolder: URL, remote: String) -> String? {
        let path = file(libraryFolder: libraryFolder, remote: remote).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Checks that `source` is a PEM certificate file and copies it for `remote`.
    public static func install(from source: String, libraryFolder: URL, remote: String) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: source)
        guard let size = attributes?[.size] as? Int, let data = FileManager.default.contents(atPath: source) else {
            throw SyncError(.config, "cannot read the CA certificate \(source)", hint: "give a readable PEM file")
        }
        guard size <= maxBytes, String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw SyncError(
                .config, "\(source) is not a PEM certificate file",
                hint: "give the server's certificate (or its CA's) in PEM form: -----BEGIN CERTIFICATE-----")
        }
        let target = file(libraryFolder: libraryFolder, remote: remote)
        let fm = FileManager.default
        try fm.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try? fm.removeItem(at: target)
        guard fm.createFile(atPath: target.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw SyncError(.unavailable, "cannot write \(target.path)", hint: "check that the library folder is writable")
        }
    }

    /// Deletes the copy for `remote`, if any.
    public static func remove(libraryFolder: URL, remote: String) {
        try? FileManager.default.removeItem(at: file(libraryFolder: libraryFolder, remote: remote))
    }
}
