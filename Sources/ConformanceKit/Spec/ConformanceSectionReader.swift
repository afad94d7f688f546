import RouteGenCore

/// Reads `x-conformance` into a `ConformanceSection`, reporting each mistake as
/// `api.yaml:LINE:COL: error: …`. Nothing unknown is skipped silently.
struct ConformanceSectionReader {
    var diagnostics: Diagnostics
    let document: APIDocument

    init(document: APIDocument, file: String) {
        self.document = document
        diagnostics = Diagnostics(file: file)
    }

    /// The section; check `diagnostics` for what was wrong with it.
    mutating func read() -> ConformanceSection {
        var section = ConformanceSection()
        // A spec written without the judge in mind (anyone's): its documented examples are
        // the cases, with no scenarios or fixtures.
        guard let node = document.conformance else { return section }
        guard let pairs = mapping(node, "x-conformance") else { return section }
        checkKeys(
            pairs, ["description", "exampleUserIds", "illustrative", "formatProfiles", "fixtures", "scenarios", "unprovoked"], in: "x-conformance")
        for pair in node["exampleUserIds"]?.pairs ?? [] {
            section.exampleUserIds[pair.key] = text(pair.value, "an example user id")
        }
        if let illustrative = node["illustrative"], let entries = mapping(illustrative, "illustrative") {
            checkKeys(entries, ["formats", "properties"], in: "illustrative")
            section.illustrativeFormats = Set(strings(illustrative["formats"], "illustrative.formats"))
            section.illustrativeProperties = Set(strings(illustrative["properties"], "illustrative.properties"))
        }
        for pair in node["formatProfiles"]?.pairs ?? [] {
            section.formatProfiles[pair.key] = text(pair.value, "a format profile pattern")
        }
        if let fixtures = node["fixtures"] { section.fixtures = readFixtures(fixtures) }
        for pair in node["unprovoked"].flatMap({ mapping($0, "unprovoked") }) ?? [] {
            section.unprovoked[pair.key] = text(pair.value, "why the response cannot be provoked")
        }
        var names: Set<String> = []
        for item in sequence(node["scenarios"], "scenarios") {
            guard let scenario = readScenario(item) else { continue }
            if !names.insert(scenario.name).inserted {
                diagnostics.error("a second scenario named '\(scenario.name)'", at: item.location)
            }
            section.scenarios.append(scenario)
        }
        return section
    }

    // MARK: Fixtures

    private mutating func readFixtures(_ node: YAMLNode) -> [String: [String: ExampleFixture]] {
        var fixtures: [String: [String: ExampleFixture]] = [:]
        for operationPair in mapping(node, "fixtures") ?? [] {
            guard let operation = document.operations.first(where: { $0.id == operationPair.key }) else {
                diagnostics.error("fixtures for '\(operationPair.key)', which is no operationId", at: operationPair.keyLocation)
                continue
            }
            let exampleNames = Set(operation.responses.flatMap { $0.examples.map(\.name) })
            for examplePair in mapping(operationPair.value, "fixtures.\(operation.id)") ?? [] {
                guard exampleNames.contains(examplePair.key) else {
                    diagnostics.error(
                        "a fixture for '\(operation.id).\(examplePair.key)', but \(operation.id) has no response example of that name",
                        at: examplePair.keyLocation)
                    continue
                }
                guard let fields = mapping(examplePair.value, "a fixture") else { continue }
                checkKeys(fields, ["setup", "match", "requires", "credential", "scheme"], in: "a fixture")
                var fixture = ExampleFixture()
                fixture.requires = readRequires(examplePair.value["requires"], of: "example '\(operation.id).\(examplePair.key)'")
                fixture.setup = readSetup(examplePair.value["setup"], requires: fixture.requires)
                fixture.credential = readCredential(examplePair.value)
                if let matchNode = examplePair.value["match"], let match = text(matchNode, "match") {
                    if let value = ExampleFixture.Match(rawValue: match) {
                        fixture.match = value
                    } else {
                        diagnostics.error("match '\(match)' is none of complete, subsequence, prefix", at: matchNode.location)
                    }
                }
                fixtures[operation.id, default: [:]][examplePair.key] = fixture
            }
        }
        return fixtures
    }

    /// The setup lines; a count by a built-in must be among `requires`.
    mutating func readSetup(_ node: YAMLNode?, requires: [String]) -> [SetupAction] {
        sequence(node, "setup").compactMap { item in
            guard let line = text(item, "a setup line") else { return nil }
            guard let action = SetupAction(line) else {
                diagnostics.error(
                    "setup line '\(line)' is none of: user NAME, lobby LABEL, code LABEL, NAME joins LABEL, NAME leaves LABEL, "
                        + "NAME posts \"TEXT\" in LABEL [as MESSAGE], NAME deletes MESSAGE in LABEL, NAME posts N messages in LABEL, "
                        + "N users join LABEL, NAME joins N new lobbies",
                    at: item.location)
                return nil
            }
            if case .joinNew(_, .builtIn(let name)) = action, !requires.contains(name) {
                diagnostics.error("setup line '\(line)' counts by '\(name)', which the unit must require", at: item.location)
            }
            return action
        }
    }

    // MARK: Helpers

    mutating func mapping(_ node: YAMLNode, _ what: String) -> [YAMLPair]? {
        guard let pairs = node.pairs else {
            diagnostics.error("\(what) must be a mapping, found \(node.kindDescription)", at: node.location)
            return nil
        }
        return pairs
    }

    mutating func sequence(_ node: YAMLNode?, _ what: String) -> [YAMLNode] {
        guard let node else { return [] }
        guard let items = node.items else {
            diagnostics.error("\(what) must be a sequence, found \(node.kindDescription)", at: node.location)
            return []
        }
        return items
    }

    mutating func text(_ node: YAMLNode, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            diagnostics.error("\(what) must be a scalar, found \(node.kindDescription)", at: node.location)
            return nil
        }
        return scalar.text
    }

    mutating func strings(_ node: YAMLNode?, _ what: String) -> [String] {
        sequence(node, what).compactMap { text($0, "an item of \(what)") }
    }

    mutating func integer(_ node: YAMLNode, _ what: String) -> Int? {
        guard case .integer(let value) = JSON(node) else {
            diagnostics.error("\(what) must be an integer", at: node.location)
            return nil
        }
        return value
    }

    mutating func checkKeys(_ pairs: [YAMLPair], _ allowed: Set<String>, in what: String) {
        for pair in pairs where !allowed.contains(pair.key) {
            diagnostics.error(
                "unknown key '\(pair.key)' in \(what) (expected \(allowed.sorted().joined(separator: ", ")))", at: pair.keyLocation)
        }
    }
}
