import CZlib
import Foundation

/// gzip for request bodies the HTTP remote sends (`Content-Encoding: gzip`). Encoding only; the
/// server decodes (GlossServer's `Gzip`). Fast level: on a LAN the CPU, not the wire, is the cost.
enum GzipEncoder {
    /// `input` as one gzip stream, or nil if zlib fails (then the body goes uncompressed).
    static func compress(_ input: Data, level: Int32 = 1) -> Data? {
        var stream = z_stream()
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var input = input
        let (status, written) = input.withUnsafeMutableBytes { inBuf in
            output.withUnsafeMutableBytes { outBuf -> (Int32, Int) in
                stream.next_in = inBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(outBuf.count)
                let status = deflate(&stream, Z_FINISH)
                return (status, outBuf.count - Int(stream.avail_out))
            }
        }
        guard status == Z_STREAM_END else { return nil }
        return output.prefix(written)
    }
}
