import Foundation

/// The bearer tokens the server accepts, each with the identity an audit record names.
///
/// A token file holds one token a line, optionally after a name: `ops-dashboard 3f9c...`; a
/// line starting with `#` is a comment. A token given alone (`--token`, `TRELLIS_TOKEN`, or a
/// line without a name) has the identity `token`.
public struct AccessTokens: Sendable {
    struct Entry: Sendable {
        var identity: String
        var token: [UInt8]
    }

    private(set) var entries: [Entry]

    /// One token, named `identity`.
    public init(token: String, identity: String = "token") throws(ServerSetupError) {
        entries = []
        try add(token: token, identity: identity, origin: "the token")
    }

    /// Every token of a token file.
    public init(file path: String) throws(ServerSetupError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ServerSetupError("\(path): cannot be read as UTF-8 text")
        }
        entries = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            switch words.count {
            case 1: try add(token: String(words[0]), identity: "token", origin: "\(path):\(index + 1)")
            case 2: try add(token: String(words[1]), identity: String(words[0]), origin: "\(path):\(index + 1)")
            default: throw ServerSetupError("\(path):\(index + 1): expected a token, or a name and a token")
            }
        }
        guard !entries.isEmpty else { throw ServerSetupError("\(path): holds no token") }
    }

    private mutating func add(token: String, identity: String, origin: String) throws(ServerSetupError) {
        // Short tokens can be guessed; 16 characters is the least a generated token has.
        guard token.utf8.count >= 16 else { throw ServerSetupError("\(origin): a token must have at least 16 characters") }
        guard token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw ServerSetupError("\(origin): a token is printable ASCII without spaces")
        }
        entries.append(Entry(identity: identity, token: Array(token.utf8)))
    }

    /// The identity of the token in an `Authorization: Bearer ...` header, or nil.
    ///
    /// Every token is compared in full whatever the input, so the time taken tells nothing
    /// about how much of a token was right.
    func identity(forAuthorization header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let presented = Array(header.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)
        var found: String?
        for entry in entries where Self.constantTimeEqual(entry.token, presented) {
            found = found ?? entry.identity
        }
        return found
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}

/// A server that will not start: a wrong setting, an unsafe address, an unreadable file.
public struct ServerSetupError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
