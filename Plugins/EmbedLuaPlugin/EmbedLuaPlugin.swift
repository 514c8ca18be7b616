import Foundation
import PackagePlugin

/// Compiles the bundled rule pack (`rules/*.lua`), the engine's own Lua
/// (`Sources/Trellis/RuleAPI/*.lua`) and the bundled gradebook profiles (`profiles/*.yaml`) into
/// the Trellis module, so that the `trellis` binary carries them wherever it is installed.
@main
struct EmbedLuaPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let sourceTarget = target as? SourceModuleTarget else { return [] }
        let packageDirectory = context.package.directoryURL
        let rulesDirectory = packageDirectory.appending(path: "rules")
        let engineLuaDirectory = sourceTarget.directoryURL.appending(path: "RuleAPI")
        let rules = try files(in: rulesDirectory, ending: ".lua")
        let engineLua = try files(in: engineLuaDirectory, ending: ".lua")
        let profiles = try files(in: packageDirectory.appending(path: "profiles"), ending: ".yaml")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedLua.swift")
        var arguments = [output.path(percentEncoded: false)]
        arguments += rules.flatMap { ["--rule", $0.path(percentEncoded: false)] }
        arguments += engineLua.flatMap { ["--engine", $0.path(percentEncoded: false)] }
        arguments += profiles.flatMap { ["--profile", $0.path(percentEncoded: false)] }
        return [
            .buildCommand(
                displayName: "Embedding \(rules.count) bundled rules, \(engineLua.count) engine Lua files and \(profiles.count) gradebook profiles",
                executable: try context.tool(named: "EmbedLuaSources").url,
                arguments: arguments,
                inputFiles: rules + engineLua + profiles,
                outputFiles: [output]
            )
        ]
    }

    private func files(in directory: URL, ending suffix: String) throws -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path(percentEncoded: false))) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { directory.appending(path: $0) }
    }
}
