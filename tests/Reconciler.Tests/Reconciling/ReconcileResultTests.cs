using Mirage.Reconciler.Reconciling;

namespace Mirage.Reconciler.Tests.Reconciling;

public sealed class ReconcileResultTests
{
    [Fact]
    public void Of_two_results_the_one_due_first_wins()
    {
        var soon = ReconcileResult.After(TimeSpan.FromSeconds(5), "Launching");
        var later = ReconcileResult.After(TimeSpan.FromMinutes(30), "PolicyDeadline");

        Assert.Same(soon, soon.Sooner(later));
        Assert.Same(soon, later.Sooner(soon));
    }

    [Fact]
    public void A_result_with_a_delay_beats_one_that_waits_for_a_change()
    {
        var waiting = ReconcileResult.WaitForChange("Running");
        var due = ReconcileResult.After(TimeSpan.FromHours(1), "PolicyDeadline");

        Assert.Same(due, waiting.Sooner(due));
        Assert.Same(due, due.Sooner(waiting));
        Assert.Null(waiting.Sooner(ReconcileResult.WaitForChange("Failed")).RequeueAfter);
    }

    [Fact]
    public void On_a_tie_the_first_result_keeps_its_reason()
    {
        var first = ReconcileResult.After(TimeSpan.FromSeconds(5), "Launching");

        Assert.Equal("Launching", first.Sooner(ReconcileResult.After(TimeSpan.FromSeconds(5), "PolicyDeadline")).Reason);
    }
}
