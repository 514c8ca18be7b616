import Yams

/// A YAML file read as JSON values, remembering where each value stands, so that errors in a
/// configuration or a rule test name the line a coordinator has to fix.
struct YAMLDocument {
    let value: JSONValue
    /// `line:column` of each value, by its path (`rules.prompt-fading.params.fade_percent`,
    /// `cases[2].expect[0]`); the root is "".
    let marks: [String: String]
    let fileName: String

    /// A YAML syntax error, with its place.
    struct SyntaxError: Error, CustomStringConvertible {
        /// `school.yaml:2:17`, or the file name alone when the parser gives no place.
        var location: String
        var message: String

        var description: String { "\(location): \(message)" }

        /// The error as a configuration issue, its place in the location field.
        func issue(_ kind: TrellisIssue.Kind) -> TrellisIssue {
            TrellisIssue(kind: kind, message: message, location: location)
        }

        /// Yams's error, its line and column in the location rather than in the words.
        init(_ error: any Error, fileName: String) {
            let place: (mark: Yams.Mark, problem: String, context: YamlError.Context?)? =
                switch error as? YamlError {
                case .scanner(let context, let problem, let mark, _)?: (mark, problem, context)
                case .parser(let context, let problem, let mark, _)?: (mark, problem, context)
                case .composer(let context, let problem, let mark, _)?: (mark, problem, context)
                default: nil
                }
            guard let place else {
                self.init(location: fileName, message: "\(error)")
                return
            }
            let context = place.context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            self.init(location: "\(fileName):\(place.mark.line):\(place.mark.column)", message: place.problem + context)
        }

        init(location: String, message: String) {
            self.location = location
            self.message = message
        }
    }

    init(text: String, fileName: String) throws(SyntaxError) {
        self.fileName = fileName
        let root = try Self.compose(text, fileName: fileName)
        var marks: [String: String] = [:]
        value = root.map { Self.convert($0, path: "", marks: &marks) } ?? .null
        self.marks = marks
    }

    /// Yams's tree of `text`, after `YAMLAliasLimit` has bounded what its aliases stand for; nil
    /// for an empty file.
    static func compose(_ text: String, fileName: String) throws(SyntaxError) -> Node? {
        // Before Yams composes the tree: it hashes every mapping key whole, aliases expanded.
        if let exceeded = YAMLAliasLimit.check(text) {
            throw SyntaxError(
                location: "\(fileName):\(exceeded.line):\(exceeded.column)",
                message: "the alias *\(exceeded.anchor) takes the document past \(YAMLAliasLimit.maximumText) values more than it writes out "
                    + "(a YAML alias bomb?): write the values out, or use fewer aliases")
        }
        do {
            return try Yams.compose(yaml: text)
        } catch {
            throw SyntaxError(error, fileName: fileName)
        }
    }

    /// `file:line:column` of the value at `path`, or of its nearest parent that has one.
    func location(of path: String) -> String {
        var current = path
        while true {
            if let mark = marks[current] { return "\(fileName):\(mark)" }
            guard let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            current = String(current[..<cut])
        }
        return marks[""].map { "\(fileName):\($0)" } ?? fileName
    }

    /// A configuration problem with the setting at `path`: its line and column, and the path.
    func issue(at path: String, _ message: String) -> TrellisIssue {
        TrellisIssue(kind: .invalidConfiguration, message: message, location: location(of: path), path: path)
    }

    private static func convert(_ node: Node, path: String, marks: inout [String: String]) -> JSONValue {
        if let mark = node.mark { marks[path] = "\(mark.line):\(mark.column)" }
        switch node {
        case .scalar(let scalar): return resolve(scalar)
        case .sequence(let sequence):
            return .array(sequence.enumerated().map { index, element in convert(element, path: "\(path)[\(index)]", marks: &marks) })
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, element) in mapping {
                let name = key.scalar?.string ?? "\(key)"
                members[name] = convert(element, path: path.isEmpty ? name : "\(path).\(name)", marks: &marks)
            }
            return .object(members)
        case .alias: return .null
        }
    }

    /// Plain scalars become null, booleans and numbers as YAML 1.2's core schema says; dates
    /// stay text (the contract's dates are strings). Quoted scalars are always strings.
    private static func resolve(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let integer = Int64(text) { return .integer(integer) }
        if text.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true, let number = Double(text), number.isFinite {
            return .number(number)
        }
        return .string(text)
    }
}
