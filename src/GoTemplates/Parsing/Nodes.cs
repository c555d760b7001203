namespace Mirage.GoTemplates.Parsing;

// The parse tree (text/template/parse/node.go). Classes, not records: the escaper records its edits per node
// instance, so two equal-looking actions in different places must stay distinct.

internal abstract class Node(int line)
{
    public int Line { get; } = line;
}

internal sealed class ListNode(int line, List<Node> nodes) : Node(line)
{
    public List<Node> Nodes { get; } = nodes;
}

internal sealed class TextNode(int line, string text) : Node(line)
{
    public string Text { get; } = text;
}

/// <summary><c>{{pipeline}}</c>: prints the pipeline's value unless it declares variables.</summary>
internal sealed class ActionNode(int line, PipeNode pipe) : Node(line)
{
    public PipeNode Pipe { get; } = pipe;
}

/// <param name="Declarations">Variables declared (<c>:=</c>) or assigned (<c>=</c>) by the pipeline.</param>
internal sealed class PipeNode(int line, IReadOnlyList<string> declarations, bool isAssign, IReadOnlyList<CommandNode> commands) : Node(line)
{
    public IReadOnlyList<string> Declarations { get; } = declarations;
    public bool IsAssign { get; } = isAssign;
    public IReadOnlyList<CommandNode> Commands { get; } = commands;
}

/// <summary>One command of a pipeline: a function or method call, or a single operand.</summary>
internal sealed class CommandNode(int line, IReadOnlyList<Node> args) : Node(line)
{
    public IReadOnlyList<Node> Args { get; } = args;
}

/// <summary><c>.A.B</c>: a field chain on dot.</summary>
internal sealed class FieldNode(int line, IReadOnlyList<string> path) : Node(line)
{
    public IReadOnlyList<string> Path { get; } = path;
}

/// <summary><c>$x.A.B</c> (path empty for plain <c>$x</c>).</summary>
internal sealed class VariableNode(int line, string name, IReadOnlyList<string> path) : Node(line)
{
    public string Name { get; } = name;
    public IReadOnlyList<string> Path { get; } = path;
}

/// <summary><c>(pipeline).A.B</c>.</summary>
internal sealed class ChainNode(int line, Node operand, IReadOnlyList<string> path) : Node(line)
{
    public Node Operand { get; } = operand;
    public IReadOnlyList<string> Path { get; } = path;
}

internal sealed class DotNode(int line) : Node(line);

internal sealed class NilNode(int line) : Node(line);

/// <summary>A function name.</summary>
internal sealed class IdentifierNode(int line, string name) : Node(line)
{
    public string Name { get; } = name;
}

/// <summary>A string, number (long or double) or bool constant.</summary>
internal sealed class LiteralNode(int line, object value) : Node(line)
{
    public object Value { get; } = value;
}

internal enum BranchKind
{
    If,
    Range,
    With,
}

/// <summary><c>if</c>, <c>range</c> or <c>with</c>; <c>else if</c> is an if alone in <see cref="ElseList"/>.</summary>
internal sealed class BranchNode(int line, BranchKind kind, PipeNode pipe, ListNode list, ListNode? elseList) : Node(line)
{
    public BranchKind Kind { get; } = kind;
    public PipeNode Pipe { get; } = pipe;
    public ListNode List { get; } = list;
    public ListNode? ElseList { get; } = elseList;
}

/// <summary><c>{{template "name" pipeline}}</c> (also what <c>block</c> leaves in place).</summary>
internal sealed class TemplateNode(int line, string name, PipeNode? pipe) : Node(line)
{
    public string Name { get; } = name;
    public PipeNode? Pipe { get; } = pipe;
}

internal sealed class BreakNode(int line) : Node(line);

internal sealed class ContinueNode(int line) : Node(line);
