import Foundation

/// One rule file's text and the path its errors name.
public struct RuleSource: Sendable, Hashable {
    /// The path errors name: `rules/prompt-fading.lua`.
    public var path: String
    public var source: String
    /// Whether the file is one of the rules that ship inside Trellis (`RulePack.bundled`).
    public var isBundled: Bool

    public init(path: String, source: String, isBundled: Bool = false) {
        self.path = path
        self.source = source
        self.isBundled = isBundled
    }
}

/// A set of rule files, loaded together.
public struct RulePack: Sendable, Hashable {
    public var sources: [RuleSource]
    /// The bundled rules that a folder's rule of the same id took the place of (see
    /// `init(directories:includingBundled:)`); empty for a pack made any other way.
    public var replacements: [RuleReplacement]

    public init(sources: [RuleSource]) {
        self.sources = sources
        self.replacements = []
    }

    /// The rules that ship inside Trellis (the repository's `rules/` folder, compiled in).
    public static var bundled: RulePack {
        RulePack(sources: EmbeddedLua.bundledRules.map { RuleSource(path: "rules/" + $0.name, source: $0.source, isBundled: true) })
    }

    /// Reads every `.lua` file directly inside each folder, in name order. Subfolders (such as
    /// a folder of rule tests) are not rules. A `.lua` that is a symbolic link to a file outside
    /// its folder, or that is not a regular file, is refused by name and never read.
    ///
    /// - Parameter directories: folders as the user named them; error locations use these paths.
    public init(directories: [String]) throws(TrellisError) {
        var sources: [RuleSource] = []
        var problems: [TrellisIssue] = []
        let files = FileManager.default
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                problems.append(TrellisIssue(kind: .invalidRule, message: "no such rule folder", location: directory))
                continue
            }
            let names = ((try? files.contentsOfDirectory(atPath: directory)) ?? []).filter { name in
                var isFolder: ObjCBool = false
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                return name.hasSuffix(".lua") && files.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            }.sorted()
            if names.isEmpty {
                problems.append(TrellisIssue(kind: .invalidRule, message: "the folder has no .lua rule files", location: directory))
            }
            for name in names {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                let data: Data
                switch RuleFolderFile.read(path, inFolder: directory) {
                case .success(let bytes): data = bytes
                case .failure(let refusal):
                    problems.append(TrellisIssue(kind: .invalidRule, message: refusal.message, location: path))
                    continue
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    problems.append(TrellisIssue(kind: .invalidRule, message: "cannot be read as UTF-8 text", location: path))
                    continue
                }
                sources.append(RuleSource(path: path, source: text))
            }
        }
        guard problems.isEmpty else { throw TrellisError(issues: problems) }
        self.sources = sources
        self.replacements = []
    }
}
