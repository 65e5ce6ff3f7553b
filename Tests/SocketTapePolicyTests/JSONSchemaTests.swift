import SocketTapePolicy
import SocketTapeWire
import Testing

/// The schema written as YAML in a configuration's `message-schema`.
func schema(_ yaml: String) async throws -> JSONSchema {
    let configuration = try await PolicyConfiguration.parse(yaml: "validation:\n  message-schema: \(yaml)", file: "s.yaml")
    return try #require(configuration.validation.messageSchema?.schema)
}

func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}

@Suite struct JSONSchemaTests {
    /// Schema, a value that passes, a value that fails, and the failure's pointer and reason.
    static let keywords: [(schema: String, passes: String, fails: String, violation: String)] = [
        ("{ type: string }", #""a""#, "1", "(root): expected string, got integer"),
        ("{ type: [string, \"null\"] }", "null", "true", "(root): expected null or string, got boolean"),
        ("{ type: integer }", "2.0", "2.5", "(root): expected integer, got number"),
        ("{ type: number }", "2.5", #""2""#, "(root): expected number, got string"),
        ("{ type: object }", "{}", "[]", "(root): expected object, got array"),
        ("{ properties: { a: { type: string } } }", #"{"a":"x","b":1}"#, #"{"a":1}"#, "/a: expected string, got integer"),
        ("{ required: [a, b] }", #"{"a":1,"b":2}"#, #"{"a":1}"#, "/b: required but missing"),
        ("{ properties: { a: {} }, additionalProperties: false }", #"{"a":1}"#, #"{"a":1,"x/y":2}"#, "/x~1y: not allowed (additionalProperties is false)"),
        ("{ additionalProperties: { type: integer } }", #"{"a":1}"#, #"{"a":"1"}"#, "/a: expected integer, got string"),
        ("{ items: { type: string } }", #"["a","b"]"#, #"["a",2]"#, "/1: expected string, got integer"),
        ("{ enum: [red, 2, null] }", "2.0", #""blue""#, #"(root): not one of "red", 2, null"#),
        ("{ const: { a: 1 } }", #"{"a":1}"#, #"{"a":2}"#, #"(root): must be {"a":1}"#),
        ("{ minimum: 0 }", "0", "-1", "(root): less than the minimum 0"),
        ("{ maximum: 1.5 }", "1.5", "2", "(root): greater than the maximum 1.5"),
        ("{ minLength: 2 }", #""é!""#, #""é""#, "(root): shorter than 2 characters"),
        ("{ maxLength: 2 }", #""😀😀""#, #""abc""#, "(root): longer than 2 characters"),
        ("{ pattern: \"^[a-z]+$\" }", #""abc""#, #""aBc""#, "(root): does not match the pattern ^[a-z]+$"),
        ("{ pattern: \"b\" }", #""abc""#, #""xyz""#, "(root): does not match the pattern b"),
        ("{ minItems: 1 }", "[0]", "[]", "(root): fewer than 1 items"),
        ("{ maxItems: 1 }", "[0]", "[0,1]", "(root): more than 1 items"),
        ("{ properties: { a: { items: { properties: { t: { maxLength: 1 } } } } } }", #"{"a":[{"t":"x"}]}"#, #"{"a":[{"t":"x"},{"t":"xy"}]}"#, "/a/1/t: longer than 1 characters"),
    ]

    @Test(arguments: keywords)
    func keyword(schemaText: String, passes: String, fails: String, violation: String) async throws {
        let schema = try await schema(schemaText)
        #expect(schema.validate(try json(passes)) == [])
        #expect(schema.validate(try json(fails)).map(\.description) == [violation])
    }

    @Test func typeMismatchStopsThatValue() async throws {
        let schema = try await schema("{ type: string, maxLength: 1 }")
        #expect(schema.validate(try json("[1,2,3]")).map(\.description) == ["(root): expected string, got array"])
    }

    @Test func allViolationsAreReported() async throws {
        let schema = try await schema("{ required: [a], properties: { b: { type: string }, c: { minimum: 5 } } }")
        let violations = schema.validate(try json(#"{"b":1,"c":1}"#))
        #expect(violations == [
            SchemaViolation(pointer: "/a", reason: "required but missing"),
            SchemaViolation(pointer: "/b", reason: "expected string, got integer"),
            SchemaViolation(pointer: "/c", reason: "less than the minimum 5"),
        ])
    }

    @Test func pointerEscapesTilde() async throws {
        let schema = try await schema("{ properties: { \"a~b\": { type: string } } }")
        #expect(schema.validate(try json(#"{"a~b":1}"#)).first?.pointer == "/a~0b")
    }
}
