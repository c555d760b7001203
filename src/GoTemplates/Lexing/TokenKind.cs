namespace Mirage.GoTemplates.Lexing;

/// <summary>The kinds of Go template tokens (Go's itemType, without the ones the parser never needs).</summary>
internal enum TokenKind
{
    Text,
    LeftDelim,
    RightDelim,
    Identifier,
    Keyword,
    Field,
    Variable,
    Dot,
    String,
    RawString,
    CharConstant,
    Number,
    Bool,
    Nil,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    EndOfFile,
}
