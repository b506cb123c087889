import Foundation

extension HTTPRemote {
    /// The HTTP remote `name` of the library in `libraryFolder`, as configured there: its URL
    /// (`remotes.json`), its CA certificate copy, and its login (`credentials.json`) when that
    /// was made for this URL. With `requireLogin`, a missing login is an error naming the fix.
    public static func configured(name: String, libraryFolder: URL, requireLogin: Bool) throws -> HTTPRemote {
        let config = try RemoteStore(folder: libraryFolder).remote(named: name)
        guard ServerAddress.isHTTP(config.url) else {
            throw SyncError(.config, "\(name) is a folder remote, not a server", hint: "log in only to http(s) remotes")
        }
        return try make(url: config.url, name: name, libraryFolder: libraryFolder, requireLogin: requireLogin)
    }

    static func make(url: String, name: String, libraryFolder: URL, requireLogin: Bool) throws -> HTTPRemote {
        let credential = try CredentialStore(folder: libraryFolder).credential(remote: name, url: url)
        let remote = HTTPRemote(
            name: name, baseURL: url, credential: credential,
            caCertFile: CACertificate.existing(libraryFolder: libraryFolder, remote: name))
        if requireLogin, credential == nil { throw remote.notLoggedIn() }
        return remote
    }

    /// Whether a password may be sent to this remote: over https, or plain http to this machine.
    public var allowsPasswords: Bool {
        guard let url = URL(string: baseURL) else { return false }
        return url.scheme == "https" || ServerAddress.isLoopback(url)
    }
}
