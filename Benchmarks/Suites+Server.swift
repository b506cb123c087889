/// Benchmark suites of this area.
let serverSuites: [BenchmarkSuite] = []
