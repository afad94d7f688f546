import PostgresClient
import Testing

/// `PostgresArray.literal`: what PostgreSQL's `text[]` input reads back as the same strings.
struct PostgresArrayTests {
    @Test func quotesEveryElementAndEscapesQuotesAndBackslashesOnly() {
        #expect(PostgresArray.literal([]) == "{}")
        #expect(PostgresArray.literal([""]) == #"{""}"#)
        #expect(PostgresArray.literal(["a", #"b"c"#, #"d\e"#, "NULL", "{,}"]) == #"{"a","b\"c","d\\e","NULL","{,}"}"#)
        #expect(PostgresArray.literal(["é😀\u{2028}"]) == "{\"é😀\u{2028}\"}")
    }
}
