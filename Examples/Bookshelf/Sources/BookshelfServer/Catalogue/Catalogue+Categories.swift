import BookshelfAPI

extension Catalogue {
    /// The categories books are shelved under; fixed, as a small library's are.
    static let categories = [
        Components.Schemas.Category(name: "Fiction", children: [
            Components.Schemas.Category(name: "Novels", children: []),
            Components.Schemas.Category(name: "Short stories", children: [Components.Schemas.Category(name: "Anthologies", children: [])]),
        ]),
        Components.Schemas.Category(name: "Non-fiction", children: [Components.Schemas.Category(name: "History", children: [])]),
    ]

    /// `categories` as an outline: a line per category, indented two spaces a level.
    static func outline(_ categories: [Components.Schemas.Category], depth: Int = 0) -> String {
        categories.map { category in
            String(repeating: "  ", count: depth) + category.name + "\n" + outline(category.children, depth: depth + 1)
        }.joined()
    }
}
