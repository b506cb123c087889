import Crypto
import CryptoExtras
import Foundation

/// scrypt password hashes, self-describing so parameters can change without a migration:
/// `scrypt$<log2 N>$<r>$<p>$<salt base64>$<key base64>`.
public struct PasswordHasher: Sendable {
    /// log2 of scrypt's N (cost). 15 → ~0.26 s here: slow for guessing, fine for a login.
    public var logN: Int
    public var blockSize: Int
    public var parallelism: Int

    public init(logN: Int = 15, blockSize: Int = 8, parallelism: Int = 1) {
        self.logN = logN
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// Hashes `password` with a fresh 16-byte salt.
    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = rng.next() }
        let key = try Self.derive(password, salt: salt, logN: logN, r: blockSize, p: parallelism)
        return "scrypt$\(logN)$\(blockSize)$\(parallelism)$\(Data(salt).base64EncodedString())$\(key.base64EncodedString())"
    }

    /// True when `password` matches `stored`, compared in constant time. A malformed `stored`
    /// never matches.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt",
            let logN = Int(parts[1]), (1...22).contains(logN),
            let r = Int(parts[2]), (1...32).contains(r),
            let p = Int(parts[3]), (1...16).contains(p),
            let salt = Data(base64Encoded: String(parts[4])),
            let expected = Data(base64Encoded: String(parts[5])), !expected.isEmpty,
            let key = try? derive(password, salt: Array(salt), logN: logN, r: r, p: p, count: expected.count)
        else { return false }
        return constantTimeEqual(key, expected)
    }

    /// Burns the time of one verification, so an unknown user name answers as slowly as a wrong
    /// password (no user enumeration by timing).
    public func dummyVerify(_ password: String) {
        _ = try? Self.derive(password, salt: Array(repeating: 0, count: 16), logN: logN, r: blockSize, p: parallelism)
    }

    private static func derive(_ password: String, salt: [UInt8], logN: Int, r: Int, p: Int, count: Int = 32)
        throws -> Data
    {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: count, rounds: 1 << logN,
            blockSize: r, parallelism: p)
        return key.withUnsafeBytes { Data($0) }
    }

    private static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }
}
