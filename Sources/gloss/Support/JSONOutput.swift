import Foundation

/// `--json` output: stable key order, ISO-8601 times, one document per call.
enum JSONOutput {
    static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty
            ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Prints `value` as JSON on stdout, followed by a newline.
    static func print<T: Encodable>(_ value: T, pretty: Bool = false) throws {
        let data = try encoder(pretty: pretty).encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
