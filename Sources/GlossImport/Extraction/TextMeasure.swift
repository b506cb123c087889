/// The weighted length of text that the extractor's scores use.
enum TextMeasure {
    /// Weighted length and comma count of UTF-8 text: a whitespace run counts 1, a CJK, kana
    /// or Hangul character 2 (it carries about a word), anything else 1; leading and trailing
    /// whitespace is free. Commas: Latin, CJK (、，) and Arabic (،).
    static func measure(_ bytes: UnsafeBufferPointer<UInt8>) -> (length: Int, commas: Int) {
        var total = 0
        var commas = 0
        var pendingSpace = false
        var index = 0
        let stop = bytes.count
        // Leading whitespace is free (and whitespace-only nodes between tags are common).
        while index < stop, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x09 {
            index += 1
        }
        while index < stop {
            let byte = bytes[index]
            if byte > 0x20 && byte < 0x80 && byte != 0x2C {
                // Printable ASCII other than a comma: the common case first.
                if pendingSpace {
                    total += 1
                    pendingSpace = false
                }
                total += 1
                index += 1
                continue
            }
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                pendingSpace = total > 0
                index += 1
                continue
            }
            if byte == 0xC2 && index + 1 < stop && bytes[index + 1] == 0xA0 {
                pendingSpace = total > 0
                index += 2
                continue
            }
            if byte & 0xC0 == 0x80 {
                index += 1
                continue
            }
            if pendingSpace {
                total += 1
                pendingSpace = false
            }
            total += 1
            if byte == 0x2C {
                commas += 1
            } else if byte >= 0xE3 && byte <= 0xED {
                // CJK, kana and Hangul: about a word each.
                total += 1
                if byte == 0xE3 && index + 2 < stop && bytes[index + 1] == 0x80
                    && bytes[index + 2] == 0x81
                {
                    commas += 1
                }
            } else if byte == 0xEF && index + 2 < stop && bytes[index + 1] == 0xBC
                && bytes[index + 2] == 0x8C
            {
                commas += 1
            } else if byte == 0xD8 && index + 1 < stop && bytes[index + 1] == 0x8C {
                commas += 1
            }
            index += 1
        }
        return (total, commas)
    }
}
