import ArgumentParser
import Foundation

/// Runs `gloss`, turning errors into the project's contract: usage errors print the usage and
/// exit 64; every other error prints `error: <what happened> (<what to do>)` to stderr and exits 1.
/// Library error types describe themselves in that form (`CustomStringConvertible`).
@main
enum Entry {
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try Gloss.parseAsRoot()
        } catch {
            Gloss.exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let error as ExitCode {
            Gloss.exit(withError: error)
        } catch let error as ValidationError {
            Gloss.exit(withError: error)
        } catch let error as CleanExit {
            Gloss.exit(withError: error)
        } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // `gloss help …` and `--help` on some paths arrive here as ArgumentParser's own
            // internal error types: let it print help or usage.
            Gloss.exit(withError: error)
        } catch {
            Terminal.printError(error)
            Foundation.exit(1)
        }
    }
}
