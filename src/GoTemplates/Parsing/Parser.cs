using System.Globalization;
using Mirage.GoTemplates.Execution;
using Mirage.GoTemplates.Lexing;

namespace Mirage.GoTemplates.Parsing;

/// <summary>
/// Go text/template's parser (text/template/parse/parse.go): actions, pipelines with variables, <c>if</c>/<c>else if</c>
/// /<c>else</c>, <c>range</c> (with <c>else</c>, <c>break</c>, <c>continue</c>), <c>with</c>/<c>else with</c>, <c>define</c>,
/// <c>template</c> and <c>block</c>. As in Go, an undefined function or variable, an unclosed block and a misplaced
/// <c>end</c>/<c>else</c>/<c>break</c> are errors here, before anything runs; complex numbers are refused.
/// </summary>
internal sealed class Parser
{
    private readonly IReadOnlyList<Token> _tokens;
    private readonly string _origin;
    private readonly IReadOnlyCollection<string> _functions;
    private readonly List<string> _variables = ["$"];
    private readonly Dictionary<string, ParsedTemplate> _templates;
    private int _index;
    private int _rangeDepth;

    private Parser(IReadOnlyList<Token> tokens, string origin, IReadOnlyCollection<string> functions, Dictionary<string, ParsedTemplate> templates)
    {
        _tokens = tokens;
        _origin = origin;
        _functions = functions;
        _templates = templates;
    }

    /// <summary>
    /// Parses one file as the template <paramref name="name"/>, adding it and every <c>define</c>/<c>block</c> it
    /// holds to <paramref name="templates"/> (a later non-empty definition replaces an earlier one, as in Go).
    /// </summary>
    /// <param name="functions">The functions given besides Go's predefined ones.</param>
    public static void Parse(string name, string text, string origin, IReadOnlyCollection<string> functions, Dictionary<string, ParsedTemplate> templates)
    {
        var parser = new Parser(Lexer.Lex(text, origin), origin, functions, templates);
        var root = parser.ParseTop();
        parser.Add(templates, name, root);
    }

    private void Add(Dictionary<string, ParsedTemplate> templates, string name, ListNode root)
    {
        if (templates.ContainsKey(name) && IsEmpty(root))
        {
            return;
        }
        templates[name] = new ParsedTemplate(name, root, _origin);
    }

    private static bool IsEmpty(ListNode list) =>
        list.Nodes.All(n => n is TextNode t && string.IsNullOrWhiteSpace(t.Text));

    private ListNode ParseTop()
    {
        var root = new ListNode(1, []);
        while (Peek.Kind != TokenKind.EndOfFile)
        {
            if (Peek.Kind == TokenKind.LeftDelim && PeekAt(1) is { Kind: TokenKind.Keyword, Value: "define" })
            {
                ParseDefine();
                continue;
            }
            var node = ParseNode(out var terminator);
            if (terminator is not null)
            {
                throw Error(terminator.Line, $"unexpected {{{{{terminator.Value}}}}}: there is no {{{{if}}}}, {{{{range}}}}, {{{{with}}}}, {{{{define}}}} or {{{{block}}}} for it to close");
            }
            if (node is not null)
            {
                root.Nodes.Add(node);
            }
        }
        return root;
    }

    private void ParseDefine()
    {
        var open = Next(); // {{
        Next(); // define
        var name = ExpectString("define");
        Expect(TokenKind.RightDelim, "define clause");
        var saved = _variables.ToList();
        _variables.Clear();
        _variables.Add("$");
        var (list, end) = ParseList("define", open.Line);
        if (end != "end")
        {
            throw Error(open.Line, "{{else}} is not allowed in {{define}}");
        }
        _variables.Clear();
        _variables.AddRange(saved);
        Add(_templates, name, list);
    }

    /// <summary>A node, or null with <paramref name="terminator"/> set at <c>{{end}}</c> / <c>{{else}}</c>.</summary>
    private Node? ParseNode(out Token? terminator)
    {
        terminator = null;
        var token = Next();
        if (token.Kind == TokenKind.Text)
        {
            return new TextNode(token.Line, token.Value);
        }
        // token is {{
        var first = Peek;
        if (first.Kind == TokenKind.Keyword)
        {
            Next();
            switch (first.Value)
            {
                case "end":
                    Expect(TokenKind.RightDelim, "end");
                    terminator = first;
                    return null;
                case "else":
                    terminator = first;
                    // "else if" / "else with": leave the keyword for the caller.
                    if (Peek is { Kind: TokenKind.Keyword, Value: "if" or "with" })
                    {
                        return null;
                    }
                    Expect(TokenKind.RightDelim, "else");
                    return null;
                case "if":
                    return ParseBranch(BranchKind.If, first.Line);
                case "range":
                    return ParseBranch(BranchKind.Range, first.Line);
                case "with":
                    return ParseBranch(BranchKind.With, first.Line);
                case "template":
                    return ParseTemplateCall(first.Line);
                case "block":
                    return ParseBlock(first.Line);
                case "break" or "continue":
                    if (_rangeDepth == 0)
                    {
                        throw Error(first.Line, $"{{{{{first.Value}}}}} outside {{{{range}}}}: use it only inside a range loop");
                    }
                    Expect(TokenKind.RightDelim, first.Value);
                    return first.Value == "break" ? new BreakNode(first.Line) : new ContinueNode(first.Line);
                case "define":
                    throw Error(first.Line, "{{define}} must be at the top level of a file, not inside another action");
            }
        }
        return new ActionNode(token.Line, ParsePipeline("command", TokenKind.RightDelim, allowDeclarations: true, isRange: false));
    }

    private (ListNode List, string Terminator) ParseList(string context, int openLine)
    {
        var list = new ListNode(Peek.Line, []);
        while (true)
        {
            if (Peek.Kind == TokenKind.EndOfFile)
            {
                throw Error(openLine, $"{{{{{context}}}}} is never closed: add {{{{end}}}}");
            }
            if (Peek.Kind == TokenKind.LeftDelim && PeekAt(1) is { Kind: TokenKind.Keyword, Value: "define" })
            {
                throw Error(Peek.Line, "{{define}} must be at the top level of a file, not inside another action");
            }
            var node = ParseNode(out var terminator);
            if (terminator is not null)
            {
                return (list, terminator.Value);
            }
            list.Nodes.Add(node!);
        }
    }

    private BranchNode ParseBranch(BranchKind kind, int line)
    {
        var name = kind.ToString().ToLowerInvariant();
        var variables = _variables.Count;
        var pipe = ParsePipeline(name, TokenKind.RightDelim, allowDeclarations: true, isRange: kind == BranchKind.Range);
        if (kind == BranchKind.Range)
        {
            _rangeDepth++;
        }
        var (list, end) = ParseList(name, line);
        if (kind == BranchKind.Range)
        {
            _rangeDepth--;
        }
        ListNode? elseList = null;
        if (end == "else")
        {
            if (kind != BranchKind.Range && Peek is { Kind: TokenKind.Keyword } chained && chained.Value == name)
            {
                // {{else if …}} / {{else with …}}: a nested branch that shares this one's {{end}}.
                Next();
                elseList = new ListNode(chained.Line, [ParseBranch(kind, chained.Line)]);
            }
            else
            {
                if (Peek.Kind == TokenKind.Keyword)
                {
                    throw Error(Peek.Line, $"{{{{else {Peek.Value}}}}} cannot follow {{{{{name}}}}}: write {{{{else}}}}{{{{{Peek.Value} …}}}}…{{{{end}}}} instead");
                }
                (elseList, end) = ParseList(name, line);
                if (end != "end")
                {
                    throw Error(line, $"{{{{{name}}}}} has two {{{{else}}}} branches: the second needs its own {{{{if}}}}");
                }
            }
        }
        _variables.RemoveRange(variables, _variables.Count - variables);
        return new BranchNode(line, kind, pipe, list, elseList);
    }

    private TemplateNode ParseTemplateCall(int line)
    {
        var name = ExpectString("template");
        PipeNode? pipe = null;
        if (Peek.Kind != TokenKind.RightDelim)
        {
            pipe = ParsePipeline("template", TokenKind.RightDelim, allowDeclarations: false, isRange: false);
        }
        else
        {
            Next();
        }
        return new TemplateNode(line, name, pipe);
    }

    private TemplateNode ParseBlock(int line)
    {
        var name = ExpectString("block");
        PipeNode? pipe = null;
        if (Peek.Kind != TokenKind.RightDelim)
        {
            pipe = ParsePipeline("block", TokenKind.RightDelim, allowDeclarations: false, isRange: false);
        }
        else
        {
            Next();
        }
        var saved = _variables.ToList();
        _variables.Clear();
        _variables.Add("$");
        var (list, end) = ParseList("block", line);
        if (end != "end")
        {
            throw Error(line, "{{else}} is not allowed in {{block}}");
        }
        _variables.Clear();
        _variables.AddRange(saved);
        Add(_templates, name, list);
        return new TemplateNode(line, name, pipe);
    }

    private PipeNode ParsePipeline(string context, TokenKind end, bool allowDeclarations, bool isRange)
    {
        var line = Peek.Line;
        var declarations = new List<string>();
        var isAssign = false;
        if (allowDeclarations && Peek.Kind == TokenKind.Variable)
        {
            var lookahead = PeekAt(1).Kind;
            if (lookahead is TokenKind.Declare or TokenKind.Assign || (isRange && lookahead == TokenKind.Comma))
            {
                var variable = Next();
                declarations.Add(variable.Value);
                if (Peek.Kind == TokenKind.Comma)
                {
                    Next();
                    var second = Next();
                    if (second.Kind != TokenKind.Variable)
                    {
                        throw Error(second.Line, "range can only initialize variables: write {{range $i, $v := …}}");
                    }
                    declarations.Add(second.Value);
                }
                var op = Next();
                if (op.Kind is not (TokenKind.Declare or TokenKind.Assign))
                {
                    throw Error(op.Line, $"expected := or = after the variables in {{{{{context}}}}}");
                }
                isAssign = op.Kind == TokenKind.Assign;
                foreach (var name in declarations)
                {
                    if (isAssign)
                    {
                        if (!_variables.Contains(name))
                        {
                            throw Error(op.Line, $"undefined variable \"{name}\": declare it with {name} := … before assigning");
                        }
                    }
                    else
                    {
                        _variables.Add(name);
                    }
                }
            }
        }
        var commands = new List<CommandNode>();
        while (true)
        {
            if (Peek.Kind == end)
            {
                Next();
                break;
            }
            if (Peek.Kind == TokenKind.EndOfFile)
            {
                throw Error(line, $"unclosed action in {{{{{context}}}}}: end it with \"}}}}\"");
            }
            commands.Add(ParseCommand(context));
            if (Peek.Kind == TokenKind.Pipe)
            {
                Next();
                if (Peek.Kind == end)
                {
                    throw Error(Peek.Line, $"missing command after \"|\" in {{{{{context}}}}}");
                }
            }
        }
        if (commands.Count == 0)
        {
            throw Error(line, $"missing value for {{{{{context}}}}}: give it a pipeline such as .Name");
        }
        for (var i = 1; i < commands.Count; i++)
        {
            if (commands[i].Args[0] is LiteralNode or NilNode or DotNode)
            {
                throw Error(commands[i].Line, "non executable command in pipeline stage: a value after \"|\" must be a function, field or method");
            }
        }
        return new PipeNode(line, declarations, isAssign, commands);
    }

    private CommandNode ParseCommand(string context)
    {
        var line = Peek.Line;
        var args = new List<Node>();
        while (Peek.Kind is not (TokenKind.RightDelim or TokenKind.RightParen or TokenKind.Pipe or TokenKind.EndOfFile))
        {
            args.Add(ParseOperand(context));
        }
        if (args.Count == 0)
        {
            throw Error(line, $"empty command in {{{{{context}}}}}");
        }
        if (args.Count > 1 && args[0] is LiteralNode or NilNode or DotNode or VariableNode { Path.Count: 0 })
        {
            throw Error(line, $"can't give argument to non-function {Describe(args[0])}: only functions and methods take arguments");
        }
        return new CommandNode(line, args);
    }

    private Node ParseOperand(string context)
    {
        var term = ParseTerm(context);
        if (Peek.Kind != TokenKind.Field || Peek.SpaceBefore)
        {
            return term;
        }
        var path = new List<string>();
        while (Peek.Kind == TokenKind.Field && !Peek.SpaceBefore)
        {
            path.Add(Next().Value[1..]);
        }
        return term switch
        {
            FieldNode f => new FieldNode(f.Line, [.. f.Path, .. path]),
            VariableNode v => new VariableNode(v.Line, v.Name, [.. v.Path, .. path]),
            LiteralNode or NilNode or DotNode => throw Error(term.Line, $"unexpected . after term {Describe(term)}"),
            _ => new ChainNode(term.Line, term, path),
        };
    }

    private Node ParseTerm(string context)
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                if (!_functions.Contains(token.Value) && !Builtins.IsBuiltin(token.Value))
                {
                    var given = _functions.Count == 0 ? "" : $"{string.Join(", ", _functions.Order(StringComparer.Ordinal))}, or ";
                    throw Error(token.Line, $"function \"{token.Value}\" not defined: use {given}one of Go's built-in functions (and, or, not, eq, ne, lt, le, gt, ge, len, index, slice, print, printf, println, html, js, urlquery) or a field such as .{token.Value}");
                }
                return new IdentifierNode(token.Line, token.Value);
            case TokenKind.Dot:
                return new DotNode(token.Line);
            case TokenKind.Nil:
                return new NilNode(token.Line);
            case TokenKind.Variable:
                if (!_variables.Contains(token.Value))
                {
                    throw Error(token.Line, $"undefined variable \"{token.Value}\": declare it first with {{{{{token.Value} := …}}}}");
                }
                return new VariableNode(token.Line, token.Value, []);
            case TokenKind.Field:
                return new FieldNode(token.Line, [token.Value[1..]]);
            case TokenKind.Bool:
                return new LiteralNode(token.Line, token.Value == "true");
            case TokenKind.String or TokenKind.RawString:
                return new LiteralNode(token.Line, token.Value);
            case TokenKind.CharConstant:
                return new LiteralNode(token.Line, (long)char.ConvertToUtf32(token.Value, 0));
            case TokenKind.Number:
                return new LiteralNode(token.Line, ParseNumber(token));
            case TokenKind.LeftParen:
                return ParsePipeline("parenthesized pipeline", TokenKind.RightParen, allowDeclarations: false, isRange: false);
            case TokenKind.Keyword:
                throw Error(token.Line, $"unexpected keyword \"{token.Value}\" in {{{{{context}}}}}");
            default:
                throw Error(token.Line, $"unexpected \"{token.Value}\" in {{{{{context}}}}}");
        }
    }

    private object ParseNumber(Token token)
    {
        var text = token.Value.Replace("_", "", StringComparison.Ordinal);
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('+', '-');
        long? integer = null;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !digits.Contains('p', StringComparison.OrdinalIgnoreCase))
        {
            if (long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex)) integer = hex;
        }
        else if (digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
        {
            if (long.TryParse(digits[2..], NumberStyles.AllowBinarySpecifier, CultureInfo.InvariantCulture, out var bin)) integer = bin;
        }
        else if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase) || (digits.Length > 1 && digits[0] == '0' && digits.All(char.IsAsciiDigit)))
        {
            try { integer = Convert.ToInt64(digits.TrimStart('0', 'o', 'O') is { Length: > 0 } o ? o : "0", 8); }
            catch (FormatException) { integer = null; }
        }
        else if (digits.All(char.IsAsciiDigit) && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var dec))
        {
            integer = dec;
        }
        if (integer is { } i)
        {
            return negative ? -i : i;
        }
        if (digits.EndsWith('i'))
        {
            throw Error(token.Line, $"complex number {token.Value} is not supported");
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }
        throw Error(token.Line, $"bad number syntax: \"{token.Value}\"");
    }

    private static string Describe(Node node) => node switch
    {
        LiteralNode l => l.Value is string s ? $"\"{s}\"" : Convert.ToString(l.Value, CultureInfo.InvariantCulture) ?? "",
        NilNode => "nil",
        DotNode => ".",
        VariableNode v => v.Name,
        _ => "value",
    };

    private string ExpectString(string context)
    {
        var token = Next();
        if (token.Kind is not (TokenKind.String or TokenKind.RawString))
        {
            throw Error(token.Line, $"{{{{{context}}}}} needs a quoted template name, e.g. {{{{{context} \"name\"}}}}");
        }
        return token.Value;
    }

    private void Expect(TokenKind kind, string context)
    {
        var token = Next();
        if (token.Kind != kind)
        {
            throw Error(token.Line, $"unexpected \"{token.Value}\" in {context}: expected \"}}}}\"");
        }
    }

    private Token Peek => _tokens[_index];

    private Token PeekAt(int offset) => _tokens[Math.Min(_index + offset, _tokens.Count - 1)];

    private Token Next() => _tokens[Math.Min(_index++, _tokens.Count - 1)];

    private GoTemplateException Error(int line, string problem) => new(_origin, line, problem);
}
