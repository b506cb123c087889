import Testing

@Test func printsVersionAndHelp() throws {
    let version = try GlossBinary.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.contains("0.1.0"))
    let bad = try GlossBinary.run(["--no-such-flag"])
    #expect(bad.status == 64)
}

@Test(arguments: [["--help"], ["help"], ["note", "--help"], ["help", "note"]])
func helpIsPrintedNotAnError(args: [String]) throws {
    let result = try GlossBinary.run(args)
    #expect(result.status == 0, "\(args): \(result.stderr)")
    #expect(result.stdout.contains("USAGE:"))
    #expect(!result.stderr.contains("error:"))
}
