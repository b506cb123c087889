import Foundation
import GlossStorage
import Testing

@testable import GlossSync

/// The folder remote on its own: layout, verification, concurrent and forked writers.
@Suite struct FolderRemoteTests {
    static let site = String(repeating: "1", count: 32)

    /// A valid chain of `count` changes of `site` starting at seq 1.
    static func chain(_ count: Int, site: String = site, salt: String = "") -> [Change] {
        var result: [Change] = []
        for seq in 1...Int64(count) {
            result.append(
                Change(
                    site: site, seq: seq, entity: .note, entityId: "n\(seq % 3)", field: "body",
                    value: "v\(seq)\(salt)", hlc: HLC(millis: 1000 + seq, counter: 0), wall: 1000 + seq,
                    prev: result.last?.hash ?? ""))
        }
        return result
    }

    static func folder() throws -> FolderRemote {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-folder-\(UUID().uuidString)")
        let remote = FolderRemote(root: dir)
        try remote.prepare()
        return remote
    }

    @Test func pushPullAndVector() async throws {
        let remote = try Self.folder()
        let log = Self.chain(25)
        #expect(try await remote.versionVector() == [:])
        try await remote.push(site: Self.site, changes: Array(log[0..<10]))
        try await remote.push(site: Self.site, changes: Array(log[10..<25]))
        #expect(try await remote.versionVector() == [Self.site: 25])
        #expect(try await remote.pull(site: Self.site, after: 0, limit: 100) == log)
        #expect(try await remote.pull(site: Self.site, after: 7, limit: 5) == Array(log[7..<12]))
        #expect(try await remote.pull(site: Self.site, after: 25, limit: 5).isEmpty)
        // Re-pushing what is held (overlapping) is harmless and writes nothing new.
        try await remote.push(site: Self.site, changes: Array(log[5..<25]))
        let files = try FileManager.default.contentsOfDirectory(atPath: remote.root.appendingPathComponent(Self.site).path)
        #expect(files.sorted() == ["000000000001-000000000010.json", "000000000011-000000000025.json"])
    }

    @Test func overlappingWritersAndMissingRanges() async throws {
        let remote = try Self.folder()
        let log = Self.chain(30)
        // Another machine wrote 1–20 in one file while this one wrote 1–10: both valid.
        let other = FolderRemote(root: remote.root)
        try await other.push(site: Self.site, changes: Array(log[0..<20]))
        try await remote.push(site: Self.site, changes: Array(log[0..<10]))
        #expect(try await remote.pull(site: Self.site, after: 0, limit: 100) == Array(log[0..<20]))
        // A file beyond a hole is not reachable: readers stop at the first missing range.
        let dir = remote.root.appendingPathComponent(Self.site)
        let far = try FolderRemote.encode(.init(site: Self.site, changes: Array(log[25..<30])))
        try far.write(to: dir.appendingPathComponent(FolderRemote.fileName(first: 26, last: 30)))
        #expect(try await remote.versionVector() == [Self.site: 20])
        // Pushing past the hole is refused.
        await #expect(throws: SyncError.self) { try await remote.push(site: Self.site, changes: Array(log[22..<25])) }
    }

    @Test func forkedLogIsReported() async throws {
        let remote = try Self.folder()
        try await remote.push(site: Self.site, changes: Self.chain(10))
        let fork = Self.chain(12, salt: "!")
        // A different history at held seqs.
        let error = await #expect(throws: SyncError.self) { try await remote.push(site: Self.site, changes: fork) }
        #expect(error?.kind == .forked)
        // A continuation whose prev does not chain to the folder's tip.
        let fresh = FolderRemote(root: remote.root)
        let error2 = await #expect(throws: SyncError.self) {
            try await fresh.push(site: Self.site, changes: Array(fork[10..<12]))
        }
        #expect(error2?.kind == .forked)
        #expect(try await remote.versionVector() == [Self.site: 10])
    }

    @Test(arguments: ["garbage", "truncated", "badhash", "othersite", "misnamed"])
    func damagedFileIsReportedNotReturned(kind: String) async throws {
        let remote = try Self.folder()
        let log = Self.chain(20)
        try await remote.push(site: Self.site, changes: Array(log[0..<10]))
        let dir = remote.root.appendingPathComponent(Self.site)
        let name = dir.appendingPathComponent(FolderRemote.fileName(first: 11, last: 20))
        var batch = Array(log[10..<20])
        let data: Data
        switch kind {
        case "garbage": data = Data("not json at all".utf8)
        case "truncated": data = try FolderRemote.encode(.init(site: Self.site, changes: batch)).prefix(100)
        case "badhash":
            batch[3].value = "tampered"
            data = try FolderRemote.encode(.init(site: Self.site, changes: batch))
        case "othersite":
            let other = String(repeating: "2", count: 32)
            data = try FolderRemote.encode(.init(site: other, changes: Self.chain(10, site: other)))
        default:
            data = try FolderRemote.encode(.init(site: Self.site, changes: Array(log[10..<15])))
        }
        try data.write(to: name)
        #expect(try await remote.pull(site: Self.site, after: 0, limit: 10) == Array(log[0..<10]))
        // Asking across the bad file gets the good changes before it.
        #expect(try await remote.pull(site: Self.site, after: 0, limit: 100) == Array(log[0..<10]))
        let error = await #expect(throws: SyncError.self) { _ = try await remote.pull(site: Self.site, after: 10, limit: 10) }
        #expect(error?.kind == .damaged)
        #expect(error?.description.contains(name.lastPathComponent) == true)
        // The remedy the message gives: remove the file; a replica holding the changes pushes
        // them again (the folder no longer claims them).
        try FileManager.default.removeItem(at: name)
        #expect(try await remote.versionVector() == [Self.site: 10])
        try await FolderRemote(root: remote.root).push(site: Self.site, changes: Array(log[10..<20]))
        #expect(try await remote.pull(site: Self.site, after: 10, limit: 2) == Array(log[10..<12]))
    }

    @Test func aBadFileIsSkippedForAGoodOneCoveringTheSameSeqs() async throws {
        let remote = try Self.folder()
        let log = Self.chain(10)
        try await remote.push(site: Self.site, changes: Array(log[0..<6]))
        // A bad file claiming 1–10 sorts first among the candidates (it reaches further).
        let dir = remote.root.appendingPathComponent(Self.site)
        try Data("{}".utf8).write(to: dir.appendingPathComponent(FolderRemote.fileName(first: 1, last: 10)))
        #expect(try await remote.versionVector() == [Self.site: 10])
        #expect(try await remote.pull(site: Self.site, after: 0, limit: 100) == Array(log[0..<6]))
        let error = await #expect(throws: SyncError.self) { _ = try await remote.pull(site: Self.site, after: 6, limit: 100) }
        #expect(error?.kind == .damaged)
    }

    @Test func strayFilesAreIgnoredAndMissingFolderIsAnError() async throws {
        let remote = try Self.folder()
        try Data("hello".utf8).write(to: remote.root.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: remote.root.appendingPathComponent("not-a-site"), withIntermediateDirectories: false)
        try await remote.push(site: Self.site, changes: Self.chain(3))
        try Data("x".utf8).write(to: remote.root.appendingPathComponent(Self.site).appendingPathComponent("README"))
        #expect(try await remote.versionVector() == [Self.site: 3])
        let missing = FolderRemote(root: remote.root.appendingPathComponent("nope"))
        let error = await #expect(throws: SyncError.self) { _ = try await missing.versionVector() }
        #expect(error?.kind == .unavailable)
    }

    @Test func concurrentWritersOfTheSameRange() async throws {
        let remote = try Self.folder()
        let log = Self.chain(50)
        // Many writers race to write the same ranges; nothing breaks, the log reads back whole.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let writer = FolderRemote(root: remote.root)
                    while true {
                        let at = Int(try await writer.versionVector()[Self.site] ?? 0)
                        if at >= 50 { break }
                        try await writer.push(site: Self.site, changes: Array(log[at..<min(50, at + 7)]))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await remote.pull(site: Self.site, after: 0, limit: 100) == log)
    }

    @Test func remoteStoreKeepsRemotesPrivate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-store-\(UUID().uuidString)")
        let store = RemoteStore(folder: dir)
        try store.add(RemoteConfig(name: "usb", url: "/media/usb/gloss"))
        #expect(throws: SyncError.self) { try store.add(RemoteConfig(name: "usb", url: "/x")) }
        #expect(throws: SyncError.self) { try store.add(RemoteConfig(name: "-bad", url: "/x")) }
        var usb = try store.remote(named: "usb")
        usb.vector = [Self.site: 4]
        try store.update(usb)
        #expect(try store.all() == [usb])
        let path = dir.appendingPathComponent(RemoteStore.fileName).path
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try store.remove(named: "usb")
        #expect(try store.all().isEmpty)
        #expect(throws: SyncError.self) { try store.remove(named: "usb") }
    }

    @Test func urlsNormalize() throws {
        let cwd = URL(fileURLWithPath: "/home/me")
        #expect(try RemoteFactory.normalize("sync/gloss", currentDirectory: cwd) == "/home/me/sync/gloss")
        #expect(try RemoteFactory.normalize("/media/usb/", currentDirectory: cwd) == "/media/usb")
        #expect(try RemoteFactory.normalize("file:///media/usb", currentDirectory: cwd) == "/media/usb")
        #expect(throws: SyncError.self) { try RemoteFactory.normalize("ftp://host/x", currentDirectory: cwd) }
        #expect(throws: SyncError.self) { try RemoteFactory.normalize("file://otherhost/x", currentDirectory: cwd) }
    }
}
