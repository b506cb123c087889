/// Benchmark suites of this area.
let storageSuites: [BenchmarkSuite] = []
