import Foundation
import GRDB
import GRDBSQLite

/// The FTS5 tokenizer of the search index, `gloss_cjk`: SQLite's `unicode61` (case folded,
/// diacritics removed), except that runs of CJK characters — which `unicode61` keeps as one long
/// token, since Japanese and Chinese do not separate words with spaces — become overlapping
/// bigrams: 東京都の会議 → 東京 京都 都の の会 会議. Queries go through the same tokenizer, so
/// 東京 finds 東京都の会議 and a longer word is a phrase of its bigrams. Korean (Hangul) is
/// treated the same way, so a stem finds the word with its particle (서울 in 서울에서). Each
/// bigram carries the byte offsets of its own two characters, so `snippet()` highlights exactly
/// the match. A lone CJK character stays one token (search needs two characters or more).
/// Public so tools that open `library.sqlite` directly (benchmarks) can register it.
public final class CJKTokenizer: FTS5CustomTokenizer {
    public static let name = "gloss_cjk"

    private let wrapped: any FTS5Tokenizer

    public init(db: Database, arguments: [String]) throws {
        wrapped = try db.makeTokenizer(.unicode61(diacritics: .remove))
    }

    /// State passed through the C callback of the wrapped tokenizer.
    private struct Context {
        var outerContext: UnsafeMutableRawPointer?
        var callback: FTS5TokenCallback
    }

    public func tokenize(
        context: UnsafeMutableRawPointer?, tokenization: FTS5Tokenization,
        pText: UnsafePointer<CChar>?, nText: CInt, tokenCallback: @escaping FTS5TokenCallback
    ) -> CInt {
        // Most text has no CJK at all (its scalars would need a lead byte of 0xE1 or above):
        // then it is unicode61's tokens as they are, with no Swift call per token.
        if let pText, nText > 0,
            !UnsafeRawBufferPointer(start: pText, count: Int(nText)).contains(where: { $0 >= 0xE1 })
        {
            return wrapped.tokenize(
                context: context, tokenization: tokenization, pText: pText, nText: nText, tokenCallback: tokenCallback)
        }
        var inner = Context(outerContext: context, callback: tokenCallback)
        return withUnsafeMutablePointer(to: &inner) { pointer in
            wrapped.tokenize(
                context: UnsafeMutableRawPointer(pointer), tokenization: tokenization,
                pText: pText, nText: nText,
                tokenCallback: { rawContext, flags, pToken, nToken, iStart, iEnd in
                    guard let rawContext, let pToken else { return SQLITE_OK }
                    let ctx = rawContext.assumingMemoryBound(to: Context.self).pointee
                    return CJKTokenizer.emit(
                        ctx, flags: flags, pToken: pToken, nToken: nToken, iStart: iStart, iEnd: iEnd)
                })
        }
    }

    /// Splits one `unicode61` token into CJK bigrams and non-CJK runs and hands them to SQLite.
    private static func emit(
        _ ctx: Context, flags: CInt, pToken: UnsafePointer<CChar>, nToken: CInt, iStart: CInt, iEnd: CInt
    ) -> CInt {
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pToken).assumingMemoryBound(to: UInt8.self), count: Int(nToken))
        // Fast path: CJK scalars are three or four UTF-8 bytes, lead byte 0xE1 or above.
        guard bytes.contains(where: { $0 >= 0xE1 }) else {
            return ctx.callback(ctx.outerContext, flags, pToken, nToken, iStart, iEnd)
        }
        // (byte offset in token, byte length, isCJK) per scalar.
        var scalars: [(offset: Int, length: Int, cjk: Bool)] = []
        var offset = 0
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let length = UTF8.width(scalar)
            scalars.append((offset, length, isCJK(scalar)))
            offset += length
        }
        // Offsets map 1:1 onto the document when the folded token has the source's length.
        let exact = Int(iEnd - iStart) == Int(nToken)
        func send(_ from: Int, _ to: Int) -> CInt {
            let start = exact ? iStart + CInt(from) : iStart
            let end = exact ? iStart + CInt(to) : iEnd
            return ctx.callback(ctx.outerContext, flags, pToken + from, CInt(to - from), start, end)
        }
        var index = 0
        while index < scalars.count {
            var runEnd = index
            let cjk = scalars[index].cjk
            while runEnd < scalars.count && scalars[runEnd].cjk == cjk { runEnd += 1 }
            let from = scalars[index].offset
            let to = scalars[runEnd - 1].offset + scalars[runEnd - 1].length
            if !cjk || runEnd - index == 1 {
                let code = send(from, to)
                if code != SQLITE_OK { return code }
            } else {
                for i in index..<(runEnd - 1) {
                    let code = send(scalars[i].offset, scalars[i + 1].offset + scalars[i + 1].length)
                    if code != SQLITE_OK { return code }
                }
            }
            index = runEnd
        }
        return SQLITE_OK
    }

    /// Han (with extensions and compatibility ideographs), kana, Hangul, and 々 / 〆.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x11FF, 0x3005...0x3007, 0x3040...0x30FF, 0x3130...0x318F, 0x31F0...0x31FF,
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF,
            0xFF66...0xFF9F, 0x20000...0x3134F:
            return true
        default:
            return false
        }
    }
}
