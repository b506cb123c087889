import Crypto
import Foundation

/// Bearer tokens: 32 random bytes as unpadded base64url (43 characters). The server stores only
/// `hash(token)` (SHA-256, hex), so a leaked store does not leak usable tokens.
public enum BearerToken {
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The token in an `Authorization: Bearer <token>` header value, nil for any other form.
    public static func parse(authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard (1...512).contains(token.utf8.count) else { return nil }
        return token
    }
}
