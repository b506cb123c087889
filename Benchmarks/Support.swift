import Foundation

/// One named group of measurements.
struct BenchmarkSuite: Sendable {
    var name: String
    var run: @Sendable (BenchmarkArguments) async throws -> Void
}

/// Command-line options: `--only NAME` (repeatable) picks suites; `--KEY VALUE` options are
/// passed to suites as strings, `--flag` alone as "true".
struct BenchmarkArguments: Sendable {
    var only: [String] = []
    var options: [String: String] = [:]

    init<S: Sequence>(_ args: S) where S.Element == String {
        var rest = Array(args)[...]
        while let arg = rest.popFirst() {
            guard arg.hasPrefix("--") else { continue }
            let key = String(arg.dropFirst(2))
            let value: String
            if let next = rest.first, !next.hasPrefix("--") {
                value = next
                rest = rest.dropFirst()
            } else {
                value = "true"
            }
            if key == "only" { only.append(value) } else { options[key] = value }
        }
    }

    func selects(_ name: String) -> Bool { only.isEmpty || only.contains(name) }
}

/// Monotonic seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Formats a ratio with two decimals.
func ratio(_ a: Double, _ b: Double) -> String { String(format: "%.2f×", a / b) }
