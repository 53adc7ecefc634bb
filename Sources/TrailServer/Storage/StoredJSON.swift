import TrailJSON

/// The JSON text of the store's list columns (tags, lineage and trace ids, Tracia messages), written and
/// read with TrailJSON.
enum StoredJSON {
    /// A list of strings as a JSON array.
    static func text(_ strings: [String]) -> String {
        JSONValue.array(strings.map(JSONValue.string)).serializedString()
    }

    /// Tracia messages as a JSON array of `{"id", "role", "content"}` objects.
    static func text(_ messages: [TraciaMessage]) -> String {
        JSONValue.array(
            messages.map { message in
                .object(["id": .string(message.id), "role": .string(message.role), "content": .string(message.content)])
            }
        ).serializedString()
    }

    /// A column written by ``text(_:)-([String])``.
    ///
    /// - Throws: ``SQLiteStore/CorruptValue`` when the text is not an array of strings.
    static func strings(_ text: String) throws -> [String] {
        guard let elements = try? JSONValue(parsing: text).arrayValue else {
            throw SQLiteStore.CorruptValue(value: text, expected: "a JSON array of strings")
        }
        return try elements.map { element in
            guard let string = element.stringValue else {
                throw SQLiteStore.CorruptValue(value: text, expected: "a JSON array of strings")
            }
            return string
        }
    }

    /// A column written by ``text(_:)-([TraciaMessage])``.
    ///
    /// - Throws: ``SQLiteStore/CorruptValue`` when the text is not an array of messages.
    static func messages(_ text: String) throws -> [TraciaMessage] {
        guard let elements = try? JSONValue(parsing: text).arrayValue else {
            throw SQLiteStore.CorruptValue(value: text, expected: "a JSON array of Tracia messages")
        }
        return try elements.map { element in
            guard let id = element["id"]?.stringValue, let role = element["role"]?.stringValue,
                let content = element["content"]?.stringValue
            else { throw SQLiteStore.CorruptValue(value: text, expected: "a JSON array of Tracia messages") }
            return TraciaMessage(id: id, role: role, content: content)
        }
    }
}
