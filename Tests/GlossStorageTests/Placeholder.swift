import Testing

// Replaced as this target gains its real tests.
@Test func GlossStorageTestsBuilds() {}
