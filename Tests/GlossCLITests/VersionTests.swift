import Testing

@Test func printsVersionAndHelp() throws {
    let version = try GlossBinary.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.contains("0.1.0"))
    let bad = try GlossBinary.run(["--no-such-flag"])
    #expect(bad.status == 64)
}
