/// Benchmark suites of this area.
let syncSuites: [BenchmarkSuite] = []
