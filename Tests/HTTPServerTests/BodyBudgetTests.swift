import Testing
@testable import HTTPServer

/// `BodyBudget`'s accounting: the whole, the small bodies' reserve and each client's share.
@Suite struct BodyBudgetTests {
    let first = ClientID(IPAddress("192.0.2.1")!)
    let second = ClientID(IPAddress("192.0.2.2")!)

    func reserves(_ account: BodyBudget.Account, _ count: Int) -> RequestError? {
        do throws(RequestError) {
            try account.reserve(count)
            return nil
        } catch {
            return error
        }
    }

    @Test func aClientHoldsAtMostItsShareAndOthersStillFit() {
        let budget = BodyBudget(limit: 100_000, smallBodyReserve: 20_000, perClient: 12_000)
        let flood = budget.account(for: first)
        #expect((0..<3).map { _ in reserves(flood, 4_000) } == [nil, nil, nil])
        #expect(reserves(flood, 4_000) == .clientBodyShareSpent(limit: 12_000))
        // A refused body takes nothing, of the share or of the whole.
        #expect(budget.held(by: first) == 12_000)
        #expect(budget.total == 12_000)
        #expect(reserves(budget.account(for: second), 4_000) == nil)
        flood.release(4_000)
        #expect(budget.held(by: first) == 8_000)
        #expect(reserves(flood, 4_000) == nil)
    }

    @Test func aBodyPastTheWholeGivesBackItsShare() {
        let budget = BodyBudget(limit: 100_000, smallBodyReserve: 20_000, perClient: 60_000)
        #expect(reserves(budget.account(for: first), 60_000) == nil)
        // 60,000 + 30,000 would pass the 80,000 that large bodies may take.
        #expect(reserves(budget.account(for: second), 30_000) == .bodyBudgetSpent)
        #expect(budget.held(by: second) == 0)
        #expect(budget.total == 60_000)
        // A small one still fits in the reserve.
        #expect(reserves(budget.account(for: second), 4_000) == nil)
    }

    @Test func connectionsOfNoCountedClientShareOnlyTheWhole() {
        let budget = BodyBudget(limit: 100_000, smallBodyReserve: 0, perClient: 10_000)
        let proxy = budget.account(for: nil)
        #expect((0..<5).map { _ in reserves(proxy, 20_000) } == [nil, nil, nil, nil, nil])
        #expect(reserves(proxy, 1) == .bodyBudgetSpent)
        for _ in 0..<5 { proxy.release(20_000) }
        #expect(budget.total == 0)
    }

    @Test func noShareWhenTheBoundIsOff() {
        let budget = BodyBudget(limit: 100_000, perClient: 0)
        #expect(reserves(budget.account(for: first), 90_000) == nil)
        #expect(budget.held(by: first) == 0)
    }
}
