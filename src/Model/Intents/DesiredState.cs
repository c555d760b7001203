namespace Mirage.Model.Intents;

public enum DesiredState
{
    Running,
    Terminated,
}
