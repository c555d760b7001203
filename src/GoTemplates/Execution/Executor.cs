using System.Collections;
using System.Globalization;
using Mirage.GoTemplates.Escaping;
using Mirage.GoTemplates.Parsing;
using Mirage.GoTemplates.Values;

namespace Mirage.GoTemplates.Execution;

/// <summary>
/// text/template's exec.go over prepared templates: fields, map keys, time methods, variables, pipelines,
/// if/range/with/else, break/continue, template calls, lazy and/or, the escapers html/template added. A missing map
/// key is Go's "no value"; a field a struct lacks, a wrong call or too deep a recursion fail the render with
/// file:line, as Go does at Execute. Work is bounded by <see cref="GoTemplateLimits"/>, which Go does not have.
/// </summary>
internal sealed class Executor(
    IReadOnlyDictionary<string, PreparedTemplate> templates,
    IReadOnlyDictionary<string, GoFunction> functions,
    IGoTemplateWriter output,
    GoTemplateLimits limits)
{
    private const int MaxDepth = 1000;

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private readonly List<(string Name, object? Value)> _variables = [];
    private PreparedTemplate _template = null!;
    private int _depth;
    private long _steps;
    private long _written;

    public void Run(PreparedTemplate template, object? data)
    {
        if (++_depth > MaxDepth)
        {
            throw new GoTemplateException(template.Parsed.Origin, null, $"exceeded maximum template depth ({MaxDepth}): a template calls itself without end");
        }
        var savedTemplate = _template;
        var savedVariables = _variables.ToList();
        _template = template;
        _variables.Clear();
        _variables.Add(("$", data));
        Walk(data, template.Parsed.Root);
        _template = savedTemplate;
        _variables.Clear();
        _variables.AddRange(savedVariables);
        _depth--;
    }

    private Flow Walk(object? dot, Node node)
    {
        Step(node.Line);
        switch (node)
        {
            case ListNode list:
                foreach (var child in list.Nodes)
                {
                    var flow = Walk(dot, child);
                    if (flow != Flow.Normal)
                    {
                        return flow;
                    }
                }
                return Flow.Normal;
            case TextNode text:
                WriteText(_template.Texts.TryGetValue(text, out var rewritten) ? rewritten : text.Text, text.Line);
                return Flow.Normal;
            case ActionNode action:
                if (_template.Actions.TryGetValue(action, out var escaping) && escaping.DropsPredefinedEscaper)
                {
                    Print(action, EvalWithoutLastEscaper(dot, action.Pipe));
                    return Flow.Normal;
                }
                var value = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Declarations.Count == 0)
                {
                    Print(action, value);
                }
                return Flow.Normal;
            case BranchNode branch:
                return branch.Kind == BranchKind.Range ? WalkRange(dot, branch) : WalkIfOrWith(dot, branch);
            case TemplateNode call:
                var target = _template.Calls.TryGetValue(call, out var derived) ? derived : call.Name;
                if (!templates.TryGetValue(target, out var called))
                {
                    throw Fail(call.Line, $"no such template \"{call.Name}\"");
                }
                Run(called, call.Pipe is null ? null : EvalPipeline(dot, call.Pipe));
                return Flow.Normal;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            default:
                throw Fail(node.Line, $"unknown node {node.GetType().Name}");
        }
    }

    /// <summary>The pipeline's value without its final html/urlquery: <c>{{html .A .B}}</c> is fmt.Sprint(.A, .B).</summary>
    private object? EvalWithoutLastEscaper(object? dot, PipeNode pipe)
    {
        var commands = pipe.Commands;
        var last = commands[^1];
        if (commands.Count == 1)
        {
            return GoPrintf.Sprint([.. last.Args.Skip(1).Select(a => EvalArg(dot, a))]);
        }
        object? value = null;
        for (var i = 0; i < commands.Count - 1; i++)
        {
            value = EvalCommand(dot, commands[i], value, i > 0);
        }
        return last.Args.Count > 1
            ? GoPrintf.Sprint([.. last.Args.Skip(1).Select(a => EvalArg(dot, a)), value])
            : value;
    }

    private void Print(ActionNode action, object? value)
    {
        if (_template.Actions.TryGetValue(action, out var escaping) && escaping.Escapers is { Length: > 0 } escapers)
        {
            var text = Escapers.Apply(escapers[0], value);
            for (var i = 1; i < escapers.Length; i++)
            {
                text = Escapers.Apply(escapers[i], text);
            }
            WriteValue(text, action.Line);
            return;
        }
        WriteValue(value is NoValue ? "<no value>" : GoValues.Print(value), action.Line);
    }

    private void WriteText(string text, int line)
    {
        CountOutput(text.Length, line);
        output.WriteText(text, line);
    }

    private void WriteValue(string value, int line)
    {
        CountOutput(value.Length, line);
        output.WriteValue(value, line);
    }

    private void CountOutput(int length, int line)
    {
        _written += length;
        if (_written > limits.MaxOutputChars)
        {
            throw Fail(line, string.Create(CultureInfo.InvariantCulture,
                $"the output exceeds {limits.MaxOutputChars:N0} characters, Mirage's limit for one template execution: print less (a range over too many items?)"));
        }
    }

    private void Step(int line)
    {
        if (++_steps > limits.MaxSteps)
        {
            throw Fail(line, string.Create(CultureInfo.InvariantCulture,
                $"stopped after {limits.MaxSteps:N0} steps (text and actions evaluated, plus range iterations), Mirage's limit for one template execution: range over fewer items or nest fewer ranges"));
        }
    }

    private Flow WalkIfOrWith(object? dot, BranchNode branch)
    {
        var mark = _variables.Count;
        var value = EvalPipeline(dot, branch.Pipe);
        Flow flow;
        if (GoValues.IsTrue(value is NoValue ? null : value))
        {
            flow = Walk(branch.Kind == BranchKind.With ? value : dot, branch.List);
        }
        else
        {
            flow = branch.ElseList is null ? Flow.Normal : Walk(dot, branch.ElseList);
        }
        _variables.RemoveRange(mark, _variables.Count - mark);
        return flow;
    }

    private Flow WalkRange(object? dot, BranchNode branch)
    {
        var mark = _variables.Count;
        var value = GoValues.Normalize(EvalPipelineValue(dot, branch.Pipe));
        var declarations = branch.Pipe.Declarations;
        IEnumerable<(object? Key, object? Element)> items = value switch
        {
            null or NoValue => [],
            IDictionary map => GoValues.SortedKeys(map).Select(k => ((object?)k, map[k])).ToList(),
            IList list => list.Cast<object?>().Select((e, i) => ((object?)(long)i, e)).ToList(),
            long n => Integers(n),
            var other => throw Fail(branch.Line, $"range can't iterate over {GoValues.Print(other)} ({GoValues.KindOf(other)})"),
        };
        var any = false;
        foreach (var (key, element) in items)
        {
            Step(branch.Line);
            any = true;
            var itemMark = _variables.Count;
            if (declarations.Count == 1)
            {
                SetOrDeclare(declarations[0], element, branch.Pipe.IsAssign);
            }
            else if (declarations.Count == 2)
            {
                SetOrDeclare(declarations[0], key, branch.Pipe.IsAssign);
                SetOrDeclare(declarations[1], element, branch.Pipe.IsAssign);
            }
            var flow = Walk(GoValues.Normalize(element), branch.List);
            _variables.RemoveRange(itemMark, _variables.Count - itemMark);
            if (flow == Flow.Break)
            {
                break;
            }
        }
        var result = Flow.Normal;
        if (!any && branch.ElseList is not null)
        {
            result = Walk(dot, branch.ElseList);
        }
        _variables.RemoveRange(mark, _variables.Count - mark);
        return result;
    }

    /// <summary>Go 1.22's range over an integer, lazily: the step limit, not memory, stops a huge count.</summary>
    private static IEnumerable<(object? Key, object? Element)> Integers(long n)
    {
        for (var i = 0L; i < n; i++)
        {
            yield return (i, i);
        }
    }

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        var value = EvalPipelineValue(dot, pipe);
        foreach (var name in pipe.Declarations)
        {
            SetOrDeclare(name, value, pipe.IsAssign);
        }
        return value;
    }

    private object? EvalPipelineValue(object? dot, PipeNode pipe)
    {
        object? value = null;
        var hasFinal = false;
        foreach (var command in pipe.Commands)
        {
            value = EvalCommand(dot, command, value, hasFinal);
            hasFinal = true;
        }
        return value;
    }

    private void SetOrDeclare(string name, object? value, bool assign)
    {
        if (assign)
        {
            for (var i = _variables.Count - 1; i >= 0; i--)
            {
                if (_variables[i].Name == name)
                {
                    _variables[i] = (name, value);
                    return;
                }
            }
        }
        _variables.Add((name, value));
    }

    private object? Variable(string name, int line)
    {
        for (var i = _variables.Count - 1; i >= 0; i--)
        {
            if (_variables[i].Name == name)
            {
                return _variables[i].Value;
            }
        }
        throw Fail(line, $"undefined variable: {name}");
    }

    private object? EvalCommand(object? dot, CommandNode command, object? final, bool hasFinal)
    {
        var first = command.Args[0];
        var args = command.Args.Skip(1).ToList();
        switch (first)
        {
            case FieldNode field:
                return EvalPath(dot, dot, field.Path, args, final, hasFinal, field.Line);
            case VariableNode variable:
                return EvalPath(dot, Variable(variable.Name, variable.Line), variable.Path, args, final, hasFinal, variable.Line);
            case ChainNode chain:
                return EvalPath(dot, EvalArg(dot, chain.Operand), chain.Path, args, final, hasFinal, chain.Line);
            case IdentifierNode function:
                return Call(dot, function, args, final, hasFinal);
            case PipeNode pipe:
                NotAFunction(hasFinal || args.Count > 0, command.Line, "a parenthesized pipeline");
                return EvalPipelineValue(dot, pipe);
            default:
                NotAFunction(hasFinal || args.Count > 0, command.Line, "a constant");
                return EvalArg(dot, first);
        }
    }

    private void NotAFunction(bool hasArguments, int line, string what)
    {
        if (hasArguments)
        {
            throw Fail(line, $"can't give argument to non-function {what}");
        }
    }

    private object? EvalArg(object? dot, Node node) => node switch
    {
        DotNode => dot,
        NilNode => null,
        LiteralNode literal => literal.Value,
        FieldNode field => EvalPath(dot, dot, field.Path, [], null, false, field.Line),
        VariableNode variable => EvalPath(dot, Variable(variable.Name, variable.Line), variable.Path, [], null, false, variable.Line),
        ChainNode chain => EvalPath(dot, EvalArg(dot, chain.Operand), chain.Path, [], null, false, chain.Line),
        PipeNode pipe => EvalPipelineValue(dot, pipe),
        IdentifierNode function => Call(dot, function, [], null, false),
        _ => throw Fail(node.Line, $"can't evaluate {node.GetType().Name}"),
    };

    private object? Call(object? dot, IdentifierNode function, IReadOnlyList<Node> argNodes, object? final, bool hasFinal)
    {
        if (Builtins.Lazy.Contains(function.Name))
        {
            // and/or stop at the first argument that decides (Go 1.18+).
            var count = argNodes.Count + (hasFinal ? 1 : 0);
            if (count == 0)
            {
                throw Fail(function.Line, $"wrong number of args for {function.Name}: want at least 1 got 0");
            }
            object? last = null;
            for (var i = 0; i < count; i++)
            {
                last = i < argNodes.Count ? EvalArg(dot, argNodes[i]) : final;
                var truth = GoValues.IsTrue(last is NoValue ? null : last);
                if (function.Name == "and" ? !truth : truth)
                {
                    return last;
                }
            }
            return last;
        }
        var args = argNodes.Select(a => EvalArg(dot, a)).ToList();
        if (hasFinal)
        {
            args.Add(final);
        }
        try
        {
            return GoValues.Normalize(functions.TryGetValue(function.Name, out var custom)
                ? custom(new GoCall(args, _template.Parsed.Origin, function.Line))
                : Builtins.Functions[function.Name](args));
        }
        catch (GoRenderException e)
        {
            throw Fail(function.Line, $"error calling {function.Name}: {e.Message}");
        }
    }

    private object? EvalPath(object? dot, object? receiver, IReadOnlyList<string> path, IReadOnlyList<Node> argNodes, object? final, bool hasFinal, int line)
    {
        if (path.Count == 0)
        {
            if (argNodes.Count > 0 || hasFinal)
            {
                throw Fail(line, "can't give argument to non-function variable");
            }
            return receiver;
        }
        var value = GoValues.Normalize(receiver);
        for (var i = 0; i < path.Count; i++)
        {
            var last = i == path.Count - 1;
            var args = last ? argNodes.Select(a => EvalArg(dot, a)).ToList() : [];
            if (last && hasFinal)
            {
                args.Add(final);
            }
            value = GoValues.Normalize(Field(value, path[i], args, line));
        }
        return value;
    }

    private object? Field(object? receiver, string name, List<object?> args, int line)
    {
        switch (receiver)
        {
            case NoValue:
                return NoValue.Instance;
            case null:
                throw Fail(line, $"nil pointer evaluating interface {{}}.{name}");
            case GoTime time:
                return TimeMethod(time, name, args, line);
            case GoStruct st:
                NoArguments(args, name, line);
                return st.Fields.TryGetValue(name, out var field) ? field : throw Fail(line, $"can't evaluate field {name} in type {st.TypeName}");
            case IDictionary map:
                NoArguments(args, name, line);
                return map.Contains(name) ? map[name] : NoValue.Instance;
            default:
                throw Fail(line, $"can't evaluate field {name} in type {GoValues.KindOf(receiver)}");
        }
    }

    private void NoArguments(List<object?> args, string name, int line)
    {
        if (args.Count > 0)
        {
            throw Fail(line, $"{name} is not a method but has arguments");
        }
    }

    private object? TimeMethod(GoTime time, string name, List<object?> args, int line)
    {
        var expected = name == "Format" ? 1 : 0;
        if (args.Count != expected)
        {
            throw Fail(line, $"wrong number of args for {name}: want {expected} got {args.Count}");
        }
        return name switch
        {
            "IsZero" => time.IsZero,
            "Format" => args[0] is string layout ? time.Format(layout) : throw Fail(line, "wrong type for value; expected string"),
            "Unix" => time.Value.ToUnixTimeSeconds(),
            "UTC" => new GoTime(time.Value.ToUniversalTime()),
            "String" => time.ToString(),
            "Year" => (long)time.Value.Year,
            "Day" => (long)time.Value.Day,
            "Hour" => (long)time.Value.Hour,
            "Minute" => (long)time.Value.Minute,
            "Second" => (long)time.Value.Second,
            _ => throw Fail(line, $"can't evaluate field {name} in type time.Time (templates may call IsZero, Format, Unix, UTC, String, Year, Day, Hour, Minute, Second)"),
        };
    }

    private GoTemplateException Fail(int line, string problem) => new(_template.Parsed.Origin, line, problem);
}
