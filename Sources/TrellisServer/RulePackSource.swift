import Crypto
import Foundation
import Trellis

/// Where the server's rules come from: read once at start and again at every reload.
///
/// A reload reads the rule folders and the configuration file again; the command line's
/// parameter and limit overrides stay as they were given. The bundled pack is compiled into the
/// binary, so with no folders a reload only rereads the configuration.
public struct RulePackSource: Sendable {
    /// Rule folders, whose rules are added to the bundled ones (see
    /// `RulePack.init(directories:includingBundled:)`); empty for the bundled rules alone.
    public var directories: [String]
    /// False to run only the folders' rules (`--no-bundled`).
    public var includesBundled: Bool
    /// A school's configuration (YAML), if any.
    public var configurationPath: String?
    /// Parameter values that win over the configuration's, by rule id and name (`--param`).
    public var parameters: [String: [String: JSONValue]]
    /// Limits that win over the configuration's; nil fields keep the configuration's or the default.
    public var instructions: Int64?
    public var memoryBytes: Int?
    public var milliseconds: Int?
    public var isolation: Engine.Isolation

    public init(
        directories: [String] = [], includesBundled: Bool = true, configurationPath: String? = nil, parameters: [String: [String: JSONValue]] = [:],
        instructions: Int64? = nil, memoryBytes: Int? = nil, milliseconds: Int? = nil, isolation: Engine.Isolation = .sandboxed
    ) {
        self.directories = directories
        self.includesBundled = includesBundled
        self.configurationPath = configurationPath
        self.parameters = parameters
        self.instructions = instructions
        self.memoryBytes = memoryBytes
        self.milliseconds = milliseconds
        self.isolation = isolation
    }

    /// Reads and checks the rules and the configuration: a new engine, or every problem.
    func load(generation: Int) throws(PackLoadError) -> LoadedPack {
        do {
            let pack = try RulePack(directories: directories, includingBundled: includesBundled)
            let settings = try configurationPath.map { path throws(ConfigurationError) in try Configuration(contentsOf: path) }
            var limits = settings?.limits ?? RuleLimits()
            if let instructions { limits.instructions = instructions }
            if let memoryBytes { limits.memoryBytes = memoryBytes }
            if let milliseconds { limits.milliseconds = milliseconds }
            let engine = try Engine(rulePack: pack, configuration: settings, parameters: parameters, limits: limits, isolation: isolation)
            // For a history's configuration digest (`--history`): the file as this load read it.
            let configurationBytes = try configurationPath.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
            return LoadedPack(
                engine: engine, ladders: settings?.ladders ?? Ladders(), sha256: engine.rulePackSHA256, configurationBytes: configurationBytes,
                loadedAt: Date(), generation: generation, replacements: pack.replacements)
        } catch let error as RulePackError {
            throw PackLoadError(issues: error.issues.map { PackLoadError.Issue(message: $0.message, location: $0.location, rule: $0.rule) })
        } catch let error as ConfigurationError {
            throw PackLoadError(issues: error.issues.map { PackLoadError.Issue(configurationLine: $0) })
        } catch {
            throw PackLoadError(issues: [.init(message: "\(error)", location: nil, rule: nil)])
        }
    }
}

/// A rule pack that cannot be used: every problem, each with its file and line where known.
public struct PackLoadError: Error, Sendable, CustomStringConvertible {
    public struct Issue: Sendable, Hashable {
        public var message: String
        /// `rules/x.lua:12`, or `school.yaml:4:3` for the configuration.
        public var location: String?
        public var rule: String?

        init(message: String, location: String?, rule: String?) {
            self.message = message
            self.location = location
            self.rule = rule
        }

        /// A configuration error reads `school.yaml:4:3: rules.x.params.y: message`; the
        /// location is split off so that it sits in the same field as a rule file's.
        init(configurationLine line: String) {
            if let range = line.range(of: ": "), line[..<range.lowerBound].contains(":") {
                self.init(message: String(line[range.upperBound...]), location: String(line[..<range.lowerBound]), rule: nil)
            } else {
                self.init(message: line, location: nil, rule: nil)
            }
        }
    }

    public var issues: [Issue]

    public var description: String {
        issues.map { ($0.location.map { $0 + ": " } ?? "") + $0.message }.joined(separator: "\n")
    }
}

/// One loaded, immutable rule pack: what a request runs on from start to end.
struct LoadedPack: Sendable {
    let engine: Engine
    /// The configuration's ladders, for documents that give none.
    let ladders: Ladders
    /// SHA-256 of everything that decides a recommendation (`Engine.rulePackSHA256`).
    let sha256: String
    /// The configuration file's bytes, if the pack has one.
    let configurationBytes: [UInt8]?
    let loadedAt: Date
    /// 1 for the pack the server started with, then one more per successful reload.
    let generation: Int
    /// The bundled rules a folder's rule of the same id replaces.
    let replacements: [RuleReplacement]
}
