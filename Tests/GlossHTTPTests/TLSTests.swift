import Foundation
import Testing

@testable import GlossHTTP

/// TLS is always verified: a self-signed server is refused, and trusted only through an extra
/// CA file (which adds to, never replaces, the system authorities).
@Suite struct TLSTests {
    /// `openssl s_server -www` on a loopback port with a fresh self-signed certificate.
    final class TLSServer {
        let process = Process()
        let port: Int
        let certificate: URL
        let folder: URL

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-tls-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            certificate = folder.appendingPathComponent("cert.pem")
            let key = folder.appendingPathComponent("key.pem")
            let make = Process()
            make.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            make.arguments = [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.path, "-out", certificate.path,
            ]
            make.standardError = FileHandle.nullDevice
            try make.run()
            make.waitUntilExit()
            // s_server buffers its `ACCEPT` line in a pipe, so pick a free port first, then
            // wait until it accepts connections.
            let port = try Self.freePort()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = [
                "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate.path, "-key", key.path, "-www",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            self.port = port
            for _ in 0..<500 where !Self.accepts(port) { usleep(10_000) }
            guard Self.accepts(port) else {
                kill(process.processIdentifier, SIGKILL)
                throw POSIXError(.EIO)
            }
        }

        static func freePort() throws -> Int {
            let server = try LoopbackServer(routes: [:])
            defer { server.stop() }
            return server.port
        }

        static func accepts(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
        }

        func stop() {
            // s_server may sit out SIGTERM in the middle of a connection.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func refusesAnUntrustedCertificateAndTrustsAnExtraCA() async throws {
        let server = try TLSServer()
        defer { server.stop() }
        let url = URL(string: "https://127.0.0.1:\(server.port)/")!
        do throws(HTTPError) {
            _ = try await HTTPClient().get(url)
            Issue.record("a self-signed certificate was accepted")
        } catch {
            #expect(error.kind == .tls)
            #expect(error.description.contains("--ca-cert"))
        }
        var options = HTTPOptions()
        options.extraCAFile = server.certificate.path
        let response = try await HTTPClient(options: options).get(url)
        #expect(response.status == 200)
    }

    @Test func anExtraCAKeepsTheSystemAuthorities() throws {
        let system = try #require(Easy.defaultCABundle)
        let systemPEM = try Data(contentsOf: URL(fileURLWithPath: system))
        let extra = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-extra-\(UUID()).pem")
        let extraPEM = Data("-----BEGIN CERTIFICATE-----\nextra\n-----END CERTIFICATE-----\n".utf8)
        try extraPEM.write(to: extra)
        defer { try? FileManager.default.removeItem(at: extra) }
        let bundle = try Easy.trustBundle(extraCAFile: extra.path, systemBundle: system)
        #expect(bundle.starts(with: systemPEM))
        #expect(bundle.suffix(extraPEM.count) == extraPEM)
    }

    @Test func reportsAMissingCAFile() async throws {
        var options = HTTPOptions()
        options.extraCAFile = "/nonexistent/ca.pem"
        do throws(HTTPError) {
            _ = try await HTTPClient(options: options).get(URL(string: "https://127.0.0.1:1/")!)
            Issue.record("no error")
        } catch {
            #expect(error.kind == .tls)
            #expect(error.description.contains("/nonexistent/ca.pem"))
        }
    }
}
