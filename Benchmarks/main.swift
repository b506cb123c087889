// `make bench`: the project's benchmarks. Each figure is printed beside a baseline measured in
// the same run, as a ratio (these machines are shared and noisy).
print("benchmarks: none yet")
