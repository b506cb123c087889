import Foundation

// `make bench`: the project's benchmarks. Each figure is printed beside a baseline measured in
// the same run, as a ratio (these machines are shared and noisy). Suites register per area in
// `Suites+*.swift`. Usage: Benchmarks [--only NAME]... [suite options]
let arguments = BenchmarkArguments(CommandLine.arguments.dropFirst())
let suites = storageSuites + extractionSuites + syncSuites + serverSuites + endToEndSuites
var failed = false
for suite in suites where arguments.selects(suite.name) {
    print("\n## \(suite.name)")
    do {
        try await suite.run(arguments)
    } catch {
        print("error: \(suite.name) failed: \(error)")
        failed = true
    }
}
if failed { exit(1) }
