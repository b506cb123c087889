import ArgumentParser
import Foundation

/// A span of time on the command line: a whole number with a unit — `90d`, `12h`, `30m`, `45s`
/// (a bare number is seconds).
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible {
    var seconds: TimeInterval
    var description: String

    init?(argument: String) {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        var text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        var unit: TimeInterval = 1
        if let last = text.last, let factor = units[last] {
            unit = factor
            text.removeLast()
        }
        guard let count = Int(text), count > 0, count <= 10 * 365 * 86400 / Int(unit) else { return nil }
        seconds = TimeInterval(count) * unit
        description = argument
    }
}
