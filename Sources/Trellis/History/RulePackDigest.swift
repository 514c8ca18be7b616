import Crypto

/// SHA-256 digests as lowercase hex, as `sha256sum` prints them.
enum SHA256Text {
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

extension Engine {
    /// The SHA-256 of everything in the engine that decides a recommendation: each rule file it
    /// runs (its path and text; rules a configuration turned off are left out), the parameter
    /// values in force (defaults, a configuration's and `--param`'s), the limits and the
    /// isolation. Two engines with the same digest answer the same input the same way.
    package var rulePackSHA256: String {
        var hasher = SHA256()
        let running = Set(rules.map(\.path))
        for source in pack.sources where running.contains(source.path) {
            hasher.update(data: Array(source.path.utf8) + [0] + Array(source.source.utf8) + [0])
        }
        let parameters = JSONValue.object(parameterValues.mapValues { .object($0) })
        hasher.update(data: Array(parameters.jsonText.utf8))
        hasher.update(data: Array("\u{0}limits \(limits.instructions) \(limits.memoryBytes) \(limits.milliseconds)".utf8))
        hasher.update(data: Array("\u{0}\(isolation == .sandboxed ? "sandboxed" : "unsandboxed")".utf8))
        return SHA256Text.hex(hasher.finalize())
    }
}
