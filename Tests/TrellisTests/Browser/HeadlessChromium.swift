import Foundation
import Testing

/// Debian's `chromium`, headless, with the network closed: every request it would send goes
/// to a proxy on loopback that this process runs, which reads each request's first line and
/// answers nothing. Chromium itself calls a few Google services whatever the flags (component
/// updates, the clock, accounts); those are told apart by host, and every other request is the
/// page's. A page that loads nothing makes none.
struct HeadlessChromium {
    struct Run {
        var status: Int32
        var stdout: String
        /// Chromium's log, with `--enable-logging=stderr`: console messages are `CONSOLE` lines.
        var stderr: String
    }

    let executable: String

    /// The browser, or a failure that says how to install it (never a skipped test).
    static func find() throws -> HeadlessChromium {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in ["/usr/bin", "/usr/local/bin", "/snap/bin"] where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return HeadlessChromium(executable: "\(folder)/\(name)")
            }
        }
        Issue.record("Chromium is not installed: run scripts/install-test-dependencies.sh (Debian's chromium and poppler-utils)")
        throw CocoaError(.fileNoSuchFile)
    }

    /// Runs Chromium on `url` with `arguments`, through the proxy; returns the run and the
    /// requests the page made (their first lines: `GET http://host/...`, `CONNECT host:443`).
    func run(_ arguments: [String], url: URL, profile: URL) throws -> (run: Run, requests: [String]) {
        let proxy = try CountingProxy()
        defer { proxy.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-pings",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--disable-breakpad",
            "--user-data-dir=\(profile.path)", "--proxy-server=http://127.0.0.1:\(proxy.port)", "--proxy-bypass-list=<-loopback>",
            "--enable-logging=stderr", "--v=0", "--hide-scrollbars", "--virtual-time-budget=2000",
        ] + arguments + [url.absoluteString]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (
            Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self)),
            proxy.requests.filter { !Self.isChromiumsOwn($0) }
        )
    }

    /// Whether a request is one Chromium makes by itself, for any page or none.
    static func isChromiumsOwn(_ requestLine: String) -> Bool {
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2 else { return false }
        var target = String(parts[1])
        if let scheme = target.range(of: "://") { target = String(target[scheme.upperBound...]) }
        let host = String(target.prefix { $0 != "/" && $0 != ":" }).lowercased()
        return ["google.com", "googleapis.com", "gvt1.com", "gstatic.com"].contains { host == $0 || host.hasSuffix("." + $0) }
    }

    /// The console messages in Chromium's log (`INFO:CONSOLE...`): errors, warnings and logs.
    static func consoleMessages(_ log: String) -> [String] {
        log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
    }
}

/// A TCP listener on 127.0.0.1 that reads the first line of each connection's request, keeps
/// it, and closes the connection without an answer.
final class CountingProxy: @unchecked Sendable {
    let port: Int
    private let socketDescriptor: Int32
    private let tally = Tally()

    private final class Tally: @unchecked Sendable {
        let lock = NSLock()
        var lines: [String] = []
        var stopped = false
    }

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw CocoaError(.fileWriteUnknown)
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        socketDescriptor = descriptor
        let tally = self.tally
        Thread.detachNewThread {
            while true {
                let client = accept(descriptor, nil, nil)
                if client < 0 { return }
                // Up to 2 s for the request line; a connection that sends nothing still counts.
                var timeout = timeval(tv_sec: 2, tv_usec: 0)
                setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 1024)
                let got = recv(client, &buffer, buffer.count, 0)
                let text = got > 0 ? String(decoding: buffer[0..<got], as: UTF8.self) : "(a connection that sent nothing)"
                let line = String(text.prefix { $0 != "\r" && $0 != "\n" })
                tally.lock.lock()
                let done = tally.stopped
                if !done { tally.lines.append(line) }
                tally.lock.unlock()
                close(client)
                if done { return }
            }
        }
    }

    /// The first line of every request so far.
    var requests: [String] {
        tally.lock.lock()
        defer { tally.lock.unlock() }
        return tally.lines
    }

    func stop() {
        tally.lock.lock()
        tally.stopped = true
        tally.lock.unlock()
        shutdown(socketDescriptor, Int32(SHUT_RDWR))
        close(socketDescriptor)
    }
}
