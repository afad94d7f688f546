import BookshelfAPI

extension Catalogue {
    /// The categories books are shelved under; fixed, as a small library's are.
    static let categories = [
        Category(name: "Fiction", children: [
            Category(name: "Novels", children: []),
            Category(name: "Short stories", children: [Category(name: "Anthologies", children: [])]),
        ]),
        Category(name: "Non-fiction", children: [Category(name: "History", children: [])]),
    ]

    /// `categories` as an outline: a line per category, indented two spaces a level.
    static func outline(_ categories: [Category], depth: Int = 0) -> String {
        categories.map { category in
            String(repeating: "  ", count: depth) + category.name + "\n" + outline(category.children, depth: depth + 1)
        }.joined()
    }
}
