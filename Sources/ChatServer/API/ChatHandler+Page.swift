import ChatAPI

extension ChatHandler {
    /// The page, decoded once from the bytes SwiftPM embedded from `Web/chat.html`.
    static let chatPage = String(decoding: PackageResources.chat_html, as: UTF8.self)

    func getChatPage(_ input: Operations.GetChatPage.Input) async throws -> Operations.GetChatPage.Output {
        .ok(Self.chatPage)
    }
}
