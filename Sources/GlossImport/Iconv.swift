import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One glibc iconv conversion descriptor to UTF-8 (opened in `init`, closed in `deinit`).
/// Not thread-safe; make one per decode.
final class Iconv {
    private let descriptor: iconv_t

    /// `nil` when iconv does not know `charset`.
    init?(from charset: String) {
        let descriptor = iconv_open("UTF-8", charset)
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else { return nil }
        self.descriptor = descriptor
    }

    deinit { iconv_close(descriptor) }

    /// Converts `bytes` to a String; each invalid or truncated sequence becomes U+FFFD.
    func decode(_ bytes: Data) -> String {
        var output = [UInt8]()
        output.reserveCapacity(bytes.count * 2)
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var input = [UInt8](bytes)
        input.withUnsafeMutableBufferPointer { inputBuffer in
            var inPointer = UnsafeMutableRawPointer(inputBuffer.baseAddress)?
                .assumingMemoryBound(to: CChar.self)
            var inLeft = inputBuffer.count
            while inLeft > 0 {
                let (result, written, code) = buffer.withUnsafeMutableBufferPointer { outBuffer in
                    var outPointer = UnsafeMutableRawPointer(outBuffer.baseAddress)?
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (result, outBuffer.count - outLeft, errno)
                }
                output.append(contentsOf: buffer[0..<written])
                if result != -1 { break }
                switch code {
                case E2BIG:
                    continue
                case EILSEQ:
                    output.append(contentsOf: replacement)
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                    iconv(descriptor, nil, nil, nil, nil)  // reset the shift state
                default:  // EINVAL: a truncated sequence at the end
                    output.append(contentsOf: replacement)
                    inLeft = 0
                }
            }
        }
        // Flush any shift state (stateful encodings such as ISO-2022-JP).
        buffer.withUnsafeMutableBufferPointer { outBuffer in
            var outPointer = UnsafeMutableRawPointer(outBuffer.baseAddress)?
                .assumingMemoryBound(to: CChar.self)
            var outLeft = outBuffer.count
            iconv(descriptor, nil, nil, &outPointer, &outLeft)
            output.append(contentsOf: outBuffer[0..<(outBuffer.count - outLeft)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}

@available(*, unavailable)
extension Iconv: Sendable {}
