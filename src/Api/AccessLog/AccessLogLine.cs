using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Mirage.Model.Configuration;

namespace Mirage.Api.AccessLog;

/// <summary>
/// echo's <c>middleware.Logger()</c> default format, the line mirage-ecs prints for every web API request:
/// <c>{"time","id","remote_ip","host","method","uri","user_agent","status","error","latency","latency_human","bytes_in","bytes_out"}</c>,
/// latency in nanoseconds and as Go's Duration.String.
/// </summary>
public static class AccessLogLine
{
    public static string Format(AccessLogEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            // Go's RFC3339Nano: trailing zeros of the fraction dropped.
            json.WriteString("time", entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture));
            json.WriteString("id", entry.Id);
            json.WriteString("remote_ip", entry.RemoteIp);
            json.WriteString("host", entry.Host);
            json.WriteString("method", entry.Method);
            json.WriteString("uri", entry.Uri);
            json.WriteString("user_agent", entry.UserAgent);
            json.WriteNumber("status", entry.Status);
            json.WriteString("error", entry.Error);
            json.WriteNumber("latency", entry.Latency.Ticks * 100);
            json.WriteString("latency_human", GoDuration.Format(entry.Latency));
            // echo writes the request's Content-Length header, 0 when absent.
            json.WriteNumber("bytes_in", entry.BytesIn);
            json.WriteNumber("bytes_out", entry.BytesOut);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
