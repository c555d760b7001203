namespace Mirage.Reconciler.Queue;

public sealed record WorkQueueOptions
{
    /// <summary>Delay before the first retry of a failing key; doubles with each further failure.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between retries of a failing key.</summary>
    public TimeSpan BackoffCap { get; init; } = TimeSpan.FromMinutes(5);
}
