import Foundation
import Synchronization
import Testing
import Trellis

@testable import TrellisServer

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        (String(repeating: "x", count: 64), "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"),
        (String(repeating: "y", count: 55), "fb66d40c3bfff05b0d5af8612d0abfbfacc6f5f26c330bc7ad634f1f44bc20ad"),
    ])
    func knownDigests(input: String, digest: String) {
        #expect(Digests.sha256Hex(input) == digest)
    }

    @Test func aLargeBodyHashesAsSha256sumDoes() {
        var generator = SystemRandomNumberGenerator()
        let body = (0..<(3 << 20) + 17).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(Digests.sha256Hex(body) == SHA256Probe.hex(Data(body)))
    }
}

@Suite struct BindPolicyTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"])
    func loopbackNeedsNoToken(host: String) throws {
        try ServerConfiguration(host: host, tokens: nil).validate()
    }

    @Test(arguments: ["0.0.0.0", "::", "10.0.0.5", "192.168.1.20", "example.org", "128.0.0.1", "127.0.0.256"])
    func anyOtherAddressNeedsAToken(host: String) throws {
        #expect(throws: ServerSetupError.self) { try ServerConfiguration(host: host, tokens: nil).validate() }
        try ServerConfiguration(host: host, tokens: try AccessTokens(token: Support.token)).validate()
    }
}

@Suite struct EvaluationPoolTests {
    @Test func neverRunsMoreThanItsWorkers() async throws {
        let pool = EvaluationPool(workers: 2, maxWaiting: 100)
        let counts = Locked((now: 0, most: 0))
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<12 {
                group.addTask {
                    try await pool.run(timeout: .seconds(30)) {
                        counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                        usleep(20_000)
                        counts.withLock { $0.now -= 1 }
                        return index
                    }
                }
            }
            var finished: Set<Int> = []
            for try await index in group { finished.insert(index) }
            #expect(finished == Set(0..<12))
        }
        // At most 2; how many ran together below that is up to the machine's threads.
        #expect(counts.withLock { $0.most } <= 2)
        #expect(pool.load.running == 0)
    }

    @Test func refusesWhenTheQueueIsFullAndDropsWorkThatTimedOutWaiting() async throws {
        let pool = EvaluationPool(workers: 1, maxWaiting: 1)
        let ran = Locked<[String]>([])
        let release = DispatchSemaphore(value: 0)
        // Long timeouts for all but the one under test: other suites running beside this one can
        // keep this test's task from running for many seconds on a small machine, and the first
        // job must not time out while the test waits to release it.
        async let first: Void = try pool.run(timeout: .seconds(600)) {
            ran.withLock { $0.append("first") }
            release.wait()
        }
        while ran.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(pool.load.waiting == 0)
        // The worker is busy: the second waits, and gives up after its timeout.
        await #expect(throws: EvaluationPool.Failure.timedOut) {
            try await pool.run(timeout: .milliseconds(50)) { ran.withLock { $0.append("second") } }
        }
        // With one waiting and a queue of one, a third is refused at once.
        async let third: Void = try pool.run(timeout: .seconds(600)) { ran.withLock { $0.append("third") } }
        // Wait for the third to be queued (not a fixed sleep: on a loaded machine it may take longer).
        while pool.load.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: EvaluationPool.Failure.busy) { try await pool.run(timeout: .seconds(600)) { ran.withLock { $0.append("fourth") } } }
        release.signal()
        try await first
        try await third
        #expect(ran.withLock { $0 } == ["first", "third"])
    }
}

/// A value behind a lock, shared by the closures of a test.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
