import Testing
@testable import HTTPServer

@Suite struct ClientTableTests {
    let heavy = ClientID(IPAddress("192.0.2.1")!)
    let light = ClientID(IPAddress("192.0.2.2")!)

    func at(_ nanoseconds: UInt64) -> MonotonicInstant { MonotonicInstant(nanoseconds: nanoseconds) }

    @Test func pastItsIdleBoundAClientLosesItsIdlest() {
        var table = ClientTable()
        for _ in 0..<3 { table.opened(heavy) }
        let shed = [(1, 20), (2, 10), (3, 30)].map { table.becameIdle($0.0, of: heavy, now: at($0.1), maxIdle: 2) }
        #expect(shed == [nil, nil, 2])
        table.becameBusy(1, of: heavy)
        #expect(table.entries[heavy]?.idle.keys.sorted() == [3])
        table.closed(2, of: heavy)
        #expect(table.connections(of: heavy) == 2)
    }

    @Test func aNewcomerAtTheCapShedsTheHeaviestClientsIdlest() {
        var table = ClientTable()
        for _ in 0..<3 { table.opened(heavy) }
        table.opened(light)
        _ = table.becameIdle(9, of: light, now: at(1), maxIdle: 0)
        _ = table.becameIdle(2, of: heavy, now: at(50), maxIdle: 0)
        _ = table.becameIdle(3, of: heavy, now: at(40), maxIdle: 0)
        // Once the heavy client has nothing idle left, the light one's goes next.
        let victims = (0..<4).map { _ in table.takeSheddingVictim() }
        #expect(victims == [3, 2, 9, nil])
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
