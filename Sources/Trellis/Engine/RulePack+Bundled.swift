extension RulePack {
    /// The rules a run uses: the bundled pack with the rules of each folder added, which is what
    /// `--rules` means on every command.
    ///
    /// A folder's rule whose id is a bundled rule's takes that rule's place (a school's own
    /// `prompt-fading`, say); each such replacement is listed in `replacements`, unless the two
    /// files hold the same text (a copy of the bundled folder replaces nothing). Two folders that
    /// give the same id are still an error.
    ///
    /// ```swift
    /// let pack = try RulePack(directories: ["school-rules"], includingBundled: true)
    /// for replaced in pack.replacements { print(replaced) }
    /// ```
    ///
    /// - Parameters:
    ///   - directories: rule folders, as the user named them; none for the bundled pack alone.
    ///   - includingBundled: false for only the folders' rules.
    /// - Throws: every problem of the folders' rules, each with its file and line.
    public init(directories: [String], includingBundled: Bool) throws(TrellisError) {
        let folders = try RulePack(directories: directories)
        guard includingBundled else {
            self = folders
            return
        }
        let bundled = RulePack.bundled
        guard !directories.isEmpty else {
            self = bundled
            return
        }
        // The folders' ids are only known once their files have run; their problems are thrown
        // here as the engine would throw them.
        let folderRules = try RuleRunner(pack: folders, limits: RuleLimits()).rules.map(\.definition)
        let folderTexts = Dictionary(folders.sources.map { ($0.path, $0.source) }, uniquingKeysWith: { first, _ in first })
        var kept: [RuleSource] = []
        var replacements: [RuleReplacement] = []
        for source in bundled.sources {
            guard let id = Self.bundledIDsByPath[source.path], let replacing = folderRules.first(where: { $0.id == id }) else {
                kept.append(source)
                continue
            }
            if folderTexts[replacing.path] != source.source {
                replacements.append(RuleReplacement(id: id, bundledPath: source.path, path: replacing.path))
            }
        }
        self.init(sources: kept + folders.sources)
        self.replacements = replacements
    }

    /// Each bundled rule file's id, read once.
    private static let bundledIDsByPath: [String: String] = {
        let rules = (try? RuleRunner(pack: .bundled, limits: RuleLimits()).rules) ?? []
        return Dictionary(rules.map { ($0.definition.path, $0.definition.id) }, uniquingKeysWith: { first, _ in first })
    }()
}

/// A bundled rule that a rule folder's rule of the same id took the place of.
public struct RuleReplacement: Sendable, Hashable, CustomStringConvertible {
    /// The id both rules have.
    public var id: String
    /// The bundled file left out: `rules/prompt-fading.lua`.
    public var bundledPath: String
    /// The folder's file that runs instead.
    public var path: String

    public init(id: String, bundledPath: String, path: String) {
        self.id = id
        self.bundledPath = bundledPath
        self.path = path
    }

    /// `school-rules/fading.lua replaces the bundled rule prompt-fading (rules/prompt-fading.lua)`
    public var description: String {
        "\(path) replaces the bundled rule \(id) (\(bundledPath))"
    }
}
