/// Runs a `PatternProgram` over a string's UTF-8 bytes, decoding Unicode scalars as it goes
/// (positions are byte offsets, always at a scalar's start).
///
/// A backtracking search with an explicit stack. Its work is bounded: run with a step budget it
/// gives up (nil) when the budget is spent; run `exhaustive`, it remembers every
/// (instruction, position) it has been at and never goes there twice (RE2's "bit state"
/// backtracker: without captures or backreferences, whether the rest matches from there depends
/// on nothing else), so it takes at most instructions × positions steps, plus the lookaheads.
struct PatternMatcher: ~Copyable {
    private struct Frame {
        enum Kind: UInt8 {
            /// Go on at (`instruction`, `position`).
            case state
            /// A greedy run ended at `position`: give back one scalar, down to `limit`.
            case giveBack
            /// A lazy run stopped at `position` after `count` scalars: take one more.
            case takeMore
        }

        var kind: Kind
        var instruction: Int
        var position: Int
        var limit = 0
        var count = 0
    }

    private let code: UnsafeBufferPointer<PatternProgram.Instruction>
    private let classes: UnsafeBufferPointer<ScalarClass>
    private let bounds: UnsafeBufferPointer<UInt32>
    private let text: UnsafeBufferPointer<UInt8>
    private let isAnchored: Bool
    /// The backtracking stack: first the caller's buffer (on the thread's stack), then, if a
    /// search outgrows it, memory of its own, freed in `deinit`.
    private var frames: UnsafeMutablePointer<Frame>
    private var capacity: Int
    private var depth = 0
    private var ownsFrames = false
    private var steps: Int
    /// One bit per (instruction, position) when exhaustive.
    private var visited: [UInt64]
    private let isExhaustive: Bool

    /// Whether `program` matches somewhere in `text`; nil when `steps` ran out first.
    static func search(_ program: PatternProgram, in text: UnsafeBufferPointer<UInt8>, steps: Int?) -> Bool? {
        program.instructions.withUnsafeBufferPointer { code in
            program.classes.withUnsafeBufferPointer { classes in
                program.bounds.withUnsafeBufferPointer { bounds in
                    // Frames for the usual pattern without a heap allocation per check (up to 1 KiB is
                    // always taken on the thread's stack).
                    withUnsafeTemporaryAllocation(of: Frame.self, capacity: 24) { buffer in
                        var matcher = PatternMatcher(
                            code: code, classes: classes, bounds: bounds, text: text,
                            isAnchored: program.isAnchored, steps: steps, frames: buffer)
                        return matcher.search()
                    }
                }
            }
        }
    }

    private init(
        code: UnsafeBufferPointer<PatternProgram.Instruction>, classes: UnsafeBufferPointer<ScalarClass>,
        bounds: UnsafeBufferPointer<UInt32>, text: UnsafeBufferPointer<UInt8>, isAnchored: Bool, steps: Int?,
        frames: UnsafeMutableBufferPointer<Frame>
    ) {
        self.frames = frames.baseAddress!
        capacity = frames.count
        self.code = code
        self.classes = classes
        self.bounds = bounds
        self.text = text
        self.isAnchored = isAnchored
        self.steps = steps ?? .max
        isExhaustive = steps == nil
        visited = isExhaustive ? Self.clearBits(code.count, text.count) : []
    }

    deinit {
        if ownsFrames { frames.deallocate() }
    }

    /// Frames are plain values, so memory is written and copied without initializing.
    private mutating func push(_ frame: Frame) {
        if depth == capacity {
            let larger = UnsafeMutablePointer<Frame>.allocate(capacity: capacity * 2)
            larger.update(from: frames, count: depth)
            if ownsFrames { frames.deallocate() }
            frames = larger
            capacity *= 2
            ownsFrames = true
        }
        frames[depth] = frame
        depth += 1
    }

    private static func clearBits(_ instructions: Int, _ bytes: Int) -> [UInt64] {
        [UInt64](repeating: 0, count: (instructions * (bytes + 1) + 63) / 64)
    }

    private mutating func search() -> Bool? {
        var position = 0
        while true {
            guard let found = attempt(at: 0, position) else { return nil }
            if found { return true }
            if isAnchored || position == text.count { return false }
            position += scalar(at: position).length
        }
    }

    /// The scalar that starts at byte `position` (before the end), from valid UTF-8.
    @inline(__always)
    private func scalar(at position: Int) -> (value: UInt32, length: Int) {
        let lead = UInt32(text[position])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | UInt32(text[position + 1] & 0x3F), 2) }
        if lead < 0xF0 {
            return ((lead & 0x0F) << 12 | UInt32(text[position + 1] & 0x3F) << 6 | UInt32(text[position + 2] & 0x3F), 3)
        }
        return (
            (lead & 0x07) << 18 | UInt32(text[position + 1] & 0x3F) << 12 | UInt32(text[position + 2] & 0x3F) << 6
                | UInt32(text[position + 3] & 0x3F), 4
        )
    }

    /// The start of the scalar before `position`.
    @inline(__always)
    private func scalarStart(before position: Int) -> Int {
        var start = position - 1
        while text[start] & 0xC0 == 0x80 { start -= 1 }
        return start
    }

    /// The scalar at `position` if it is in `scalarClass`: its length, else nil.
    @inline(__always)
    private func take(_ scalarClass: Int, at position: Int) -> Int? {
        guard position < text.count else { return nil }
        let (value, length) = scalar(at: position)
        return classes[scalarClass].contains(value, bounds) ? length : nil
    }

    /// Whether the program from `instruction` matches at `position`; nil when out of steps.
    private mutating func attempt(at instruction: Int, _ position: Int) -> Bool? {
        let base = depth
        defer { depth = base }
        var pc = instruction
        var position = position
        while true {
            if let next = execute(pc, position) {
                (pc, position) = next
                continue
            }
            if steps < 0 { return nil }
            if code[pc].operation == .match { return true }
            guard let resumed = backtrack(above: base) else { return steps < 0 ? nil : false }
            (pc, position) = resumed
        }
    }

    /// Marks (`pc`, `position`) visited when exhaustive; false when it already was.
    @inline(__always)
    private mutating func visit(_ pc: Int, _ position: Int) -> Bool {
        guard isExhaustive else { return true }
        let bit = pc * (text.count + 1) + position
        let mask: UInt64 = 1 << UInt64(bit & 63)
        if visited[bit >> 6] & mask != 0 { return false }
        visited[bit >> 6] |= mask
        return true
    }

    /// One instruction: where to go on, or nil for a failure (or a `match`, at `pc`).
    @inline(__always)
    private mutating func execute(_ pc: Int, _ position: Int) -> (Int, Int)? {
        let instruction = code[pc]
        if instruction.operation == .match { return nil }
        guard visit(pc, position) else { return nil }
        steps -= 1
        if steps < 0 { return nil }
        switch instruction.operation {
        case .scalar:
            return take(instruction.scalarClass, at: position).map { (pc + 1, position + $0) }
        case .run:
            return run(instruction, pc, position)
        case .split:
            push(Frame(kind: .state, instruction: instruction.second, position: position))
            return (instruction.first, position)
        case .jump:
            return (instruction.first, position)
        case .start:
            return position == 0 ? (pc + 1, position) : nil
        case .end:
            return position == text.count ? (pc + 1, position) : nil
        case .look:
            guard let found = lookahead(instruction.first, position) else { return nil }
            return found != (instruction.second == 1) ? (pc + 1, position) : nil
        case .match:
            return nil
        }
    }

    private mutating func run(_ instruction: PatternProgram.Instruction, _ pc: Int, _ position: Int) -> (Int, Int)? {
        var end = position
        var count = 0
        while count < instruction.first {
            guard let length = take(instruction.scalarClass, at: end) else { return nil }
            end += length
            count += 1
        }
        if !instruction.greedy {
            push(Frame(kind: .takeMore, instruction: pc, position: end, count: count))
            return (pc + 1, end)
        }
        let least = end
        while count < instruction.second, let length = take(instruction.scalarClass, at: end) {
            end += length
            count += 1
        }
        steps -= count
        if end > least { push(Frame(kind: .giveBack, instruction: pc, position: end, limit: least)) }
        return (pc + 1, end)
    }

    /// The next state to try from the stack, down to `base`; nil when none is left.
    private mutating func backtrack(above base: Int) -> (Int, Int)? {
        while depth > base {
            depth -= 1
            var frame = frames[depth]
            switch frame.kind {
            case .state:
                return (frame.instruction, frame.position)
            case .giveBack:
                let start = scalarStart(before: frame.position)
                if start > frame.limit {
                    frame.position = start
                    push(frame)
                }
                return (frame.instruction + 1, start)
            case .takeMore:
                let instruction = code[frame.instruction]
                guard frame.count < instruction.second,
                    let length = take(instruction.scalarClass, at: frame.position)
                else { continue }
                steps -= 1
                frame.position += length
                frame.count += 1
                push(frame)
                return (frame.instruction + 1, frame.position)
            }
        }
        return nil
    }

    /// Whether the lookahead body at `body` matches at `position`. Exhaustive, it gets bits of its
    /// own: a state the body reached on the way to a match must not count as failed next time.
    private mutating func lookahead(_ body: Int, _ position: Int) -> Bool? {
        guard isExhaustive else { return attempt(at: body, position) }
        let outer = visited
        visited = Self.clearBits(code.count, text.count)
        defer { visited = outer }
        return attempt(at: body, position)
    }
}
