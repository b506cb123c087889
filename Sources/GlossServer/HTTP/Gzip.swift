import CZlib
import Foundation

/// gzip for request bodies (`Content-Encoding: gzip`), over zlib. Decoding is bounded: it stops
/// as soon as the output would pass `limit`, so a small "zip bomb" cannot exhaust memory.
public enum Gzip {
    public enum Failure: Error, Equatable {
        case tooLarge
        case corrupt
    }

    /// Decodes a gzip (or zlib) stream of at most `limit` decoded bytes.
    public static func decompress(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflate_init(&stream, 15 + 32) == Z_OK else { throw Failure.corrupt }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = Z_OK
        var input = input
        try input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while status != Z_STREAM_END {
                let produced = chunk.withUnsafeMutableBufferPointer { outBuf -> Int in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return outBuf.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw Failure.corrupt }
                if output.count + produced > limit { throw Failure.tooLarge }
                output.append(contentsOf: chunk[0..<produced])
                // No progress with input exhausted: the stream is truncated.
                if status == Z_OK, produced == 0, stream.avail_in == 0 { throw Failure.corrupt }
            }
        }
        return output
    }

    /// Encodes `input` as one gzip stream (for clients and tests).
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var input = input
        let written = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf -> Int in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                _ = deflate(&stream, Z_FINISH)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }
}
