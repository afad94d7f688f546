import EventLoop
import Testing
@testable import HTTPServer

@Suite struct ClientTableTests {
    let heavy = ClientID(IPAddress("192.0.2.1")!)
    let light = ClientID(IPAddress("192.0.2.2")!)

    func at(_ nanoseconds: UInt64) -> MonotonicInstant { MonotonicInstant(nanoseconds: nanoseconds) }

    @Test func pastItsIdleBoundAClientLosesItsIdlest() {
        var table = ClientTable()
        for _ in 0..<3 { table.opened(heavy) }
        let late = at(10_000_000_000)
        // Within the grace a burst of new connections is not shed; past it, the idlest goes.
        let burst = [1, 2, 3].map { table.becameIdle($0, of: heavy, since: at(5), now: at(6), unused: true, maxIdle: 1) }
        #expect(burst == [nil, nil, nil])
        table = ClientTable()
        for _ in 0..<3 { table.opened(heavy) }
        let shed = [(1, 20), (2, 10), (3, 30)].map { table.becameIdle($0.0, of: heavy, since: at($0.1), now: late, unused: true, maxIdle: 2) }
        #expect(shed == [nil, nil, 2])
        // A kept-alive connection (it has served requests) is not counted against the bound.
        table.opened(heavy)
        let keptAlive = table.becameIdle(4, of: heavy, since: at(5), now: late, unused: false, maxIdle: 2)
        #expect(keptAlive == nil)
        table.becameBusy(1, of: heavy)
        #expect(table.entries[heavy]?.idle.keys.sorted() == [3, 4])
        table.closed(2, of: heavy)
        #expect(table.connections(of: heavy) == 3)
    }

    @Test func aNewcomerAtTheCapShedsTheHeaviestClientsIdlest() {
        var table = ClientTable()
        for _ in 0..<3 { table.opened(heavy) }
        table.opened(light)
        _ = table.becameIdle(9, of: light, since: at(1), now: at(100), unused: false, maxIdle: 0)
        _ = table.becameIdle(2, of: heavy, since: at(50), now: at(100), unused: false, maxIdle: 0)
        _ = table.becameIdle(3, of: heavy, since: at(40), now: at(100), unused: true, maxIdle: 0)
        // Once the heavy client has nothing idle left, the light one's goes next.
        let victims = (0..<4).map { _ in table.takeSheddingVictim(now: at(100))?.id }
        #expect(victims == [3, 2, 9, nil])
    }

    @Test func aStalledHeadIsShedAtTheCapOnlyPastTheGrace() {
        var table = ClientTable()
        for _ in 0..<2 { table.opened(heavy) }
        table.headStarted(1, of: heavy, since: at(1_000_000_000))
        #expect(table.takeSheddingVictim(now: at(2_000_000_000)) == nil, "within the grace it is busy")
        #expect(table.takeSheddingVictim(now: at(3_000_000_000)) == ClientTable.Victim(id: 1, headGrace: ClientTable.silenceGrace))
        table.headStarted(2, of: heavy, since: at(1_000_000_000))
        table.becameBusy(2, of: heavy)
        #expect(table.takeSheddingVictim(now: at(9_000_000_000)) == nil, "its head came in: busy")
    }

    @Test func aClientsSeveralStalledHeadsAreShedPastTheShorterGrace() {
        var table = ClientTable()
        for _ in 0..<3 { table.opened(heavy) }
        table.opened(light)
        table.headStarted(1, of: heavy, since: at(1_000_000_000))
        table.headStarted(2, of: heavy, since: at(1_100_000_000))
        table.headStarted(9, of: light, since: at(1_000_000_000))
        #expect(table.takeSheddingVictim(now: at(1_200_000_000)) == nil, "within even the shorter grace")
        #expect(table.takeSheddingVictim(now: at(1_300_000_000)) == ClientTable.Victim(id: 1, headGrace: ClientTable.crowdedHeadGrace))
        // One head left: it has the whole grace again, as the light client's single one has.
        #expect(table.takeSheddingVictim(now: at(1_400_000_000)) == nil)
        #expect(table.takeSheddingVictim(now: at(3_000_000_000)) == ClientTable.Victim(id: 9, headGrace: ClientTable.silenceGrace))
    }

    @Test func aClientsManyStalledHeadsShareTheGrace() {
        #expect(ClientTable.headGrace(stalledHeads: 1) == .seconds(2))
        #expect(ClientTable.headGrace(stalledHeads: 4) == .milliseconds(250))
        #expect(ClientTable.headGrace(stalledHeads: 50) == .milliseconds(40))
        var table = ClientTable()
        for id in 0..<50 as Range<UInt64> {
            table.opened(heavy)
            table.headStarted(id, of: heavy, since: at(1_000_000_000 + id * 100_000))
        }
        #expect(table.takeSheddingVictim(now: at(1_030_000_000)) == nil, "within the 40 ms they share")
        #expect(table.takeSheddingVictim(now: at(1_045_000_000)) == ClientTable.Victim(id: 0, headGrace: .milliseconds(40)))
    }

    @Test func anIdleVictimOfAClientWithStalledHeadsKeepsTheWholeGrace() {
        // The table may know a connection as idle that has begun a head it has not reported
        // yet: shed, it goes only if that head is `silenceGrace` old.
        var table = ClientTable()
        for _ in 0..<3 { table.opened(heavy) }
        _ = table.becameIdle(3, of: heavy, since: at(1), now: at(1), unused: false, maxIdle: 0)
        table.headStarted(1, of: heavy, since: at(1_000_000_000))
        table.headStarted(2, of: heavy, since: at(1_010_000_000))
        #expect(table.takeSheddingVictim(now: at(1_300_000_000)) == ClientTable.Victim(id: 3, headGrace: ClientTable.silenceGrace))
        #expect(table.takeSheddingVictim(now: at(1_300_000_000)) == ClientTable.Victim(id: 1, headGrace: ClientTable.crowdedHeadGrace))
    }

    @Test func streamsAreBoundedPerClient() {
        var table = ClientTable()
        var granted = (0..<3).map { _ in table.reserveStream(for: heavy, limit: 2) }
        granted.append(table.reserveStream(for: light, limit: 2))
        table.releaseStream(of: heavy)
        granted.append(table.reserveStream(for: heavy, limit: 2))
        granted.append(table.reserveStream(for: heavy, limit: 0))
        #expect(granted == [true, true, false, true, true, true])
        #expect(table.streams(of: heavy) == 3)
    }
}
