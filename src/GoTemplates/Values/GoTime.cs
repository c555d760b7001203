namespace Mirage.GoTemplates.Values;

/// <summary>
/// Go's time.Time for templates: <c>.IsZero</c>, <c>.Format "layout"</c>, <c>.Unix</c>, <c>.UTC</c> and printing as
/// Go prints it. The zero value is Go's zero time, 0001-01-01 00:00:00 UTC.
/// </summary>
public readonly record struct GoTime(DateTimeOffset Value)
{
    public bool IsZero => Value.UtcDateTime == DateTime.MinValue;

    /// <summary>The zone's abbreviation as Go writes it for MST: "UTC" for UTC, else the offset (Go does so for unnamed zones).</summary>
    public string ZoneAbbreviation => Value.Offset == TimeSpan.Zero
        ? "UTC"
        : (Value.Offset < TimeSpan.Zero ? "-" : "+") + Value.Offset.ToString(Value.Offset.Minutes == 0 ? "hh" : "hhmm", System.Globalization.CultureInfo.InvariantCulture);

    public string Format(string layout) => GoTimeLayout.Format(this, layout);

    /// <summary>Go's Time.String: "2006-01-02 15:04:05.999999999 -0700 MST".</summary>
    public override string ToString() => Format("2006-01-02 15:04:05.999999999 -0700 MST");
}
