using System.Xml.Linq;
using Mirage.Api.Web.Pages;

namespace Mirage.Api.Tests.Web;

public sealed class AccessChartTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 14, 20, 0, TimeSpan.Zero);
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void The_chart_has_one_bar_per_hour_scaled_to_the_busiest_hour_and_titled_with_its_utc_hour()
    {
        var perHour = new long[24];
        perHour[0] = 5;
        perHour[22] = 10;
        perHour[23] = 1;

        var svg = XElement.Parse(AccessChart.Chart(perHour, Now));

        var bars = svg.Elements(Svg + "rect").ToList();
        Assert.Equal(24, bars.Count);
        Assert.Equal("16", svg.Attribute("data-total")!.Value);
        Assert.Equal(120.0, double.Parse(bars[22].Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(60.0, double.Parse(bars[0].Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(12.0, double.Parse(bars[23].Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0", bars[5].Attribute("height")!.Value);
        Assert.Equal("1 requests, 14:00–15:00 UTC", bars[23].Element(Svg + "title")!.Value);
        Assert.Equal("5 requests, 15:00–16:00 UTC", bars[0].Element(Svg + "title")!.Value);
    }

    [Fact]
    public void A_quiet_day_draws_empty_bars_and_a_sparkline_has_no_titles()
    {
        var svg = XElement.Parse(AccessChart.Sparkline(new long[24], Now));

        Assert.Equal("sparkline", svg.Attribute("class")!.Value);
        Assert.All(svg.Elements(Svg + "rect"), bar => Assert.Equal("0", bar.Attribute("height")!.Value));
        Assert.Equal(24, svg.Elements(Svg + "rect").Count());
        Assert.Empty(svg.Descendants(Svg + "title"));
    }
}
