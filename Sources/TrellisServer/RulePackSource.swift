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

    /// The rule folders read into a pack, the bundled rules with them unless `includesBundled`
    /// is false; `pack.replacements` says which bundled rules a folder's rule replaces.
    package func rulePack() throws(TrellisError) -> RulePack {
        try RulePack(directories: directories, includingBundled: includesBundled)
    }

    /// The engine `pack` makes under the configuration, with the overrides on top: the one
    /// reading of rules, configuration, `--param` and limits, for `trellis serve` and for every
    /// command that evaluates.
    ///
    /// - Throws: ``TrellisError``: the configuration's problems (`invalid_configuration`, each
    ///   with its line and setting) or the rules' (`invalid_rule`, each with its file and line).
    package func engine(for pack: RulePack) throws(TrellisError) -> (engine: Engine, configuration: Configuration?) {
        let settings = try configurationPath.map { path throws(TrellisError) in try Configuration(contentsOf: path) }
        var limits = settings?.limits ?? RuleLimits()
        if let instructions { limits.instructions = instructions }
        if let memoryBytes { limits.memoryBytes = memoryBytes }
        if let milliseconds { limits.milliseconds = milliseconds }
        do {
            return (try Engine(rulePack: pack, configuration: settings, parameters: parameters, limits: limits, isolation: isolation), settings)
        } catch let error as TrellisError {
            throw error
        } catch {
            throw TrellisError(issues: [TrellisIssue(kind: .invalidRule, message: "\(error)")])
        }
    }

    /// Reads and checks the rules and the configuration: a new engine, or every problem.
    func load(generation: Int) throws(TrellisError) -> LoadedPack {
        let pack = try rulePack()
        let (engine, settings) = try self.engine(for: pack)
        // For a history's configuration digest (`--history`): the file as this load read it.
        let configurationBytes: [UInt8]?
        do {
            configurationBytes = try configurationPath.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
        } catch {
            throw TrellisError(issues: [
                TrellisIssue(kind: .invalidConfiguration, message: "cannot be read: \(error.localizedDescription)", location: configurationPath)
            ])
        }
        return LoadedPack(
            engine: engine, ladders: settings?.ladders ?? Ladders(), sha256: engine.rulePackSHA256, configurationBytes: configurationBytes,
            loadedAt: Date(), generation: generation, replacements: pack.replacements)
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
