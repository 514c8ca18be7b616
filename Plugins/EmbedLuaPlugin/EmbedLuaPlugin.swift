import Foundation
import PackagePlugin

/// Compiles the bundled rule pack (`rules/*.lua`) and the engine's own Lua
/// (`Sources/Trellis/RuleAPI/*.lua`) into the Trellis module, so that the `trellis` binary
/// carries them wherever it is installed.
@main
struct EmbedLuaPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let sourceTarget = target as? SourceModuleTarget else { return [] }
        let packageDirectory = context.package.directoryURL
        let rulesDirectory = packageDirectory.appending(path: "rules")
        let engineLuaDirectory = sourceTarget.directoryURL.appending(path: "RuleAPI")
        let rules = try luaFiles(in: rulesDirectory)
        let engineLua = try luaFiles(in: engineLuaDirectory)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedLua.swift")
        var arguments = [output.path(percentEncoded: false)]
        arguments += rules.flatMap { ["--rule", $0.path(percentEncoded: false)] }
        arguments += engineLua.flatMap { ["--engine", $0.path(percentEncoded: false)] }
        return [
            .buildCommand(
                displayName: "Embedding \(rules.count) bundled rules and \(engineLua.count) engine Lua files",
                executable: try context.tool(named: "EmbedLuaSources").url,
                arguments: arguments,
                inputFiles: rules + engineLua,
                outputFiles: [output]
            )
        ]
    }

    private func luaFiles(in directory: URL) throws -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path(percentEncoded: false))) ?? []
        return names.filter { $0.hasSuffix(".lua") }.sorted().map { directory.appending(path: $0) }
    }
}
