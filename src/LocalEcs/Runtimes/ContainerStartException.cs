namespace Mirage.LocalEcs.Runtimes;

/// <summary>A container could not start; <see cref="Exception.Message"/> is the ECS-style reason (e.g. <c>CannotPullContainerError: …</c>).</summary>
internal sealed class ContainerStartException(string message) : Exception(message);
