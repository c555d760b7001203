namespace Mirage.Model.Backend;

public enum TaskDesiredStatus
{
    Running,
    Stopped,
}
