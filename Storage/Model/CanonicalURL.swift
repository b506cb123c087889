import Crypto
import Foundation

/// Article identity (DESIGN §2): the same article saved on two machines gets the same id, a hash
/// of its normalized canonical URL shaped as a UUID.
public enum CanonicalURL {
    /// Query parameters that only track the visit, dropped before hashing.
    static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl",
        "yclid", "igshid", "twclid", "ttclid", "li_fat_id", "mkt_tok", "oly_anon_id", "oly_enc_id",
        "_hsenc", "_hsmi", "vero_id", "ref_src", "ref_url",
    ]

    /// Lowercase scheme and host, no fragment, no default port, an empty path as `/`, tracking
    /// parameters (`utm_*` and the like) dropped, the rest of the query sorted. Text that is not
    /// an absolute URL is returned trimmed.
    public static func normalize(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard var parts = URLComponents(string: trimmed), let scheme = parts.scheme?.lowercased(), parts.host != nil else {
            return trimmed
        }
        parts.scheme = scheme
        parts.percentEncodedHost = parts.percentEncodedHost?.lowercased()
        if (scheme == "http" && parts.port == 80) || (scheme == "https" && parts.port == 443) { parts.port = nil }
        parts.fragment = nil
        if parts.percentEncodedPath.isEmpty { parts.percentEncodedPath = "/" }
        if let items = parts.percentEncodedQueryItems {
            let kept = items.filter { item in
                let name = item.name.lowercased()
                return !name.hasPrefix("utm_") && !trackingParameters.contains(name)
            }.sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
            parts.percentEncodedQueryItems = kept.isEmpty ? nil : kept
        }
        return parts.string ?? trimmed
    }

    /// The article id of a normalized URL: SHA-256, first 128 bits, formatted as a UUID (version
    /// nibble 8, "custom"), lowercase.
    public static func articleId(_ normalizedURL: String) -> String {
        var bytes = Array(SHA256.hash(data: Data(("gloss-article:" + normalizedURL).utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let c = Array(hex)
        return [c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }.joined(separator: "-")
    }

    /// The article id for a URL as given.
    public static func articleId(forURL url: String) -> String {
        articleId(normalize(url))
    }
}
