import Foundation

/// The pages of an extraction-bench folder (`html/<id>.html.gz`, `ground-truth.json`), read
/// into memory before any timing. Pages are gunzipped by a `gzip -dc` subprocess and decoded as
/// UTF-8 (invalid bytes replaced), as the README says they are saved.
struct ExtractionCorpus {
    struct Page {
        var id: String
        var url: URL?
        var html: String
        var truth: String
    }

    var pages: [Page]

    struct MissingFolder: Error, CustomStringConvertible {
        var path: String
        var description: String { "no extraction-bench folder at \(path)" }
    }

    init(folder: String, ids: Set<String>? = nil, limit: Int? = nil) throws {
        let root = URL(fileURLWithPath: folder)
        let truthURL = root.appendingPathComponent("ground-truth.json")
        guard FileManager.default.fileExists(atPath: truthURL.path) else { throw MissingFolder(path: folder) }
        let data = try Data(contentsOf: truthURL)
        guard let truth = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            throw MissingFolder(path: truthURL.path)
        }
        var pages: [Page] = []
        for id in truth.keys.sorted() {
            if let ids, !ids.contains(id) { continue }
            if let limit, pages.count >= limit { break }
            let path = root.appendingPathComponent("html/\(id).html.gz").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let bytes = try Self.gunzip(path)
            let entry = truth[id] ?? [:]
            pages.append(
                Page(
                    id: id, url: (entry["url"] as? String).flatMap(URL.init(string:)),
                    html: String(decoding: bytes, as: UTF8.self),
                    truth: entry["articleBody"] as? String ?? ""))
        }
        self.pages = pages
    }

    private static func gunzip(_ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}
