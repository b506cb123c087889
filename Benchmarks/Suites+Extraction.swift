/// Benchmark suites of this area.
let extractionSuites: [BenchmarkSuite] = []
