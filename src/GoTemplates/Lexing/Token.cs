namespace Mirage.GoTemplates.Lexing;

/// <param name="SpaceBefore">Whitespace precedes it inside the action: <c>.A .B</c> is two arguments, <c>.A.B</c> one chain.</param>
internal sealed record Token(TokenKind Kind, string Value, int Line, bool SpaceBefore);
