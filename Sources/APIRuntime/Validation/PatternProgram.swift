/// A pattern as instructions for `PatternMatcher`: a backtracking program over Unicode scalars,
/// in plain values (no references), built once when a `Pattern` is made.
struct PatternProgram: Sendable {
    enum Operation: UInt8, Sendable {
        /// Take one scalar of `classes[scalarClass]`.
        case scalar
        /// Take `first` to `second` scalars of `classes[scalarClass]` (`second` `Int.max`: no
        /// bound), as many as possible first when `greedy`, as few when not.
        case run
        /// Go on at `first`; when that fails, at `second`.
        case split
        /// Go on at `first`.
        case jump
        /// The start of the input.
        case start
        /// The end of the input.
        case end
        /// A lookahead whose body starts at `first` and ends with `match`; `second` 1: negated.
        case look
        case match
    }

    struct Instruction: Sendable {
        var operation: Operation
        var scalarClass = 0
        var first = 0
        var second = 0
        var greedy = true
    }

    /// The most instructions a program may have (counted repetitions are written out); a
    /// pattern that needs more keeps ICU's engine.
    static let maximumInstructions = 4096

    let instructions: [Instruction]
    let classes: [ScalarClass]
    /// The classes' ranges above ASCII, as (lower, upper) pairs.
    let bounds: [UInt32]
    /// Whether every match starts at the start of the input (`^…`), so a search tries only there.
    let isAnchored: Bool

    /// `node` as a program. With `runs`, a quantified single class becomes one `run` (fast, but
    /// its inner positions are not memoized); without, it is written out with `split`s, so the
    /// exhaustive matcher visits each (instruction, position) at most once.
    init(_ node: PatternNode, runs: Bool) throws(PatternSyntax.Unsupported) {
        var builder = Builder(usesRuns: runs)
        try builder.emit(node)
        builder.append(Instruction(operation: .match))
        while let (at, body) = builder.pendingLooks.popLast() {
            builder.instructions[at].first = builder.instructions.count
            try builder.emit(body)
            builder.append(Instruction(operation: .match))
        }
        instructions = builder.instructions
        classes = builder.classes
        bounds = builder.bounds
        isAnchored = instructions.first?.operation == .start
    }

    private struct Builder {
        let usesRuns: Bool
        var instructions: [Instruction] = []
        var classes: [ScalarClass] = []
        var bounds: [UInt32] = []
        var classIndex: [ScalarSet: Int] = [:]
        var pendingLooks: [(Int, PatternNode)] = []

        init(usesRuns: Bool) {
            self.usesRuns = usesRuns
        }

        @discardableResult
        mutating func append(_ instruction: Instruction) -> Int {
            instructions.append(instruction)
            return instructions.count - 1
        }

        mutating func index(of set: ScalarSet) -> Int {
            if let known = classIndex[set] { return known }
            classes.append(ScalarClass(set, appendingTo: &bounds))
            classIndex[set] = classes.count - 1
            return classes.count - 1
        }

        mutating func emit(_ node: PatternNode) throws(PatternSyntax.Unsupported) {
            guard instructions.count <= PatternProgram.maximumInstructions else {
                throw PatternSyntax.Unsupported(offset: 0, reason: "more than \(PatternProgram.maximumInstructions) instructions")
            }
            switch node {
            case .scalar(let set):
                append(Instruction(operation: .scalar, scalarClass: index(of: set)))
            case .sequence(let items):
                for item in items { try emit(item) }
            case .alternation(let branches):
                var exits: [Int] = []
                for branch in branches.dropLast() {
                    let split = append(Instruction(operation: .split))
                    instructions[split].first = split + 1
                    try emit(branch)
                    exits.append(append(Instruction(operation: .jump)))
                    instructions[split].second = instructions.count
                }
                try emit(branches[branches.count - 1])
                for exit in exits { instructions[exit].first = instructions.count }
            case .repetition(let body, let min, let max, let greedy):
                try emitRepetition(body, min: min, max: max, greedy: greedy)
            case .start:
                append(Instruction(operation: .start))
            case .end:
                append(Instruction(operation: .end))
            case .lookahead(let body, let negated):
                let at = append(Instruction(operation: .look, second: negated ? 1 : 0))
                pendingLooks.append((at, body))
            }
        }

        private mutating func emitRepetition(_ body: PatternNode, min: Int, max: Int?, greedy: Bool) throws(PatternSyntax.Unsupported) {
            if usesRuns, case .scalar(let set) = body {
                append(Instruction(operation: .run, scalarClass: index(of: set), first: min, second: max ?? .max, greedy: greedy))
                return
            }
            for _ in 0..<min { try emit(body) }
            var splits: [Int] = []
            if let max {
                for _ in min..<max {
                    splits.append(append(Instruction(operation: .split)))
                    try emit(body)
                }
            } else {
                let loop = append(Instruction(operation: .split))
                splits.append(loop)
                try emit(body)
                append(Instruction(operation: .jump, first: loop))
            }
            let exit = instructions.count
            for split in splits {
                instructions[split].first = greedy ? split + 1 : exit
                instructions[split].second = greedy ? exit : split + 1
            }
        }
    }
}
