import Foundation

/// The base URL of a Gloss server as stored in `remotes.json`: `http(s)://host[:port][/prefix]`,
/// lowercased scheme and host, no trailing slash, no credentials, query or fragment.
enum ServerAddress {
    /// Whether `text` names an HTTP(S) remote.
    static func isHTTP(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The canonical form of `text`, or a `.config` error saying what is wrong with it.
    static func normalize(_ text: String) throws -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else {
            throw SyncError(.config, "\(text) is not an http(s) URL", hint: "give the server's URL, e.g. https://gloss.example.org")
        }
        guard let host = components.host, !host.isEmpty else {
            throw SyncError(.config, "\(text) has no host", hint: "give the server's URL, e.g. https://gloss.example.org")
        }
        guard components.user == nil, components.password == nil, components.query == nil, components.fragment == nil else {
            throw SyncError(
                .config, "\(text) carries a user, password, query or fragment",
                hint: "give only the server's address; log in with `gloss login NAME --user U`")
        }
        var out = URLComponents()
        out.scheme = scheme
        out.host = host.lowercased()
        out.port = components.port
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        out.path = path
        guard let string = out.string, URL(string: string) != nil else {
            throw SyncError(.config, "\(text) is not a valid URL", hint: "check the address")
        }
        return string
    }

    /// True when `url`'s host is this machine's loopback interface (`localhost`, 127.0.0.0/8, ::1).
    static func isLoopback(_ url: URL) -> Bool {
        guard var host = url.host?.lowercased() else { return false }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
