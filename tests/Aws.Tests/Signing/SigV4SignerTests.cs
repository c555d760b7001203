using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Mirage.Aws.Credentials;
using Mirage.Aws.Signing;
using Mirage.TestKit;

namespace Mirage.Aws.Tests.Signing;

/// <summary>
/// The signer against AWS's published SigV4 test suite (credentials AKIDEXAMPLE, us-east-1, service "service",
/// 2015-08-30T12:36:00Z). sigv4-test-suite.json holds the suite's requests with AWS's published Authorization
/// values; the canonical requests and strings to sign in it were produced by botocore's signer, which reproduces
/// every published Authorization value byte for byte.
/// </summary>
public sealed class SigV4SignerTests
{
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    public static TheoryData<SigV4TestVector> Vectors()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Signing", "sigv4-test-suite.json");
        var vectors = JsonSerializer.Deserialize<List<SigV4TestVector>>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        return [.. vectors];
    }

    [Fact]
    public void The_suite_file_holds_the_cases_the_signer_must_pass()
    {
        var names = Vectors().Select(row => row.Data.Name).ToList();
        Assert.True(names.Count >= 19, $"only {names.Count} vectors");
        Assert.Contains("get-vanilla", names);
        Assert.Contains("get-vanilla-query-order-key-case", names);
        Assert.Contains("post-x-www-form-urlencoded", names);
        Assert.Contains("get-utf8", names);
        Assert.Contains("get-space", names);
        Assert.Contains("post-vanilla-query", names);
        Assert.Contains("post-sts-header-before", names);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Each_published_vector_signs_to_its_canonical_request_string_to_sign_and_authorization(SigV4TestVector vector)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", "example.amazonaws.com") };
        headers.AddRange(vector.Headers.Select(h => new KeyValuePair<string, string>(h[0], h[1])));
        var request = new SigningRequest(
            vector.Method,
            vector.Path,
            [.. vector.Query.Select(q => new KeyValuePair<string, string>(q[0], q[1]))],
            headers,
            SigV4Signer.HexSha256(Encoding.UTF8.GetBytes(vector.Body)));

        var result = SigV4Signer.Compute(request, new AwsCredentials(AccessKey, SecretKey, vector.SessionToken), "us-east-1", "service", SuiteTime);

        Assert.Equal(vector.CanonicalRequest, result.CanonicalRequest);
        Assert.Equal(vector.StringToSign, result.StringToSign);
        Assert.Equal(vector.Authorization, result.Authorization);
    }

    [Fact]
    public void A_session_token_is_sent_and_signed_as_x_amz_security_token()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        var signer = new SigV4Signer(new FakeTimeProvider(SuiteTime));

        var result = signer.Sign(message, [], new AwsCredentials(AccessKey, SecretKey, "the-token"), "us-east-1", "service");

        Assert.Equal("the-token", Assert.Single(message.Headers.GetValues("x-amz-security-token")));
        Assert.Equal("20150830T123600Z", Assert.Single(message.Headers.GetValues("x-amz-date")));
        Assert.Equal("host;x-amz-date;x-amz-security-token", result.SignedHeaders);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=",
            Assert.Single(message.Headers.GetValues("Authorization")), StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_an_http_message_equals_the_pure_function_over_the_same_parts()
    {
        // post-x-www-form-urlencoded, sent through the HttpRequestMessage path.
        var body = "Param1=value1"u8.ToArray();
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/")
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        var signer = new SigV4Signer(new FakeTimeProvider(SuiteTime));

        var result = signer.Sign(message, body, new AwsCredentials(AccessKey, SecretKey), "us-east-1", "service", ["content-type"]);

        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            result.Authorization);
    }

    [Fact]
    public void A_wire_path_with_escapes_is_encoded_again_as_non_S3_services_expect()
    {
        Assert.Equal("/a/%25E1%2588%25B4", SigV4Signer.CanonicalUri("/a/%E1%88%B4"));
        Assert.Equal("/example/", SigV4Signer.CanonicalUri("//example//"));
        Assert.Equal("/b", SigV4Signer.CanonicalUri("/a/../b"));
        Assert.Equal("/", SigV4Signer.CanonicalUri(""));
    }

    [Fact]
    public void A_non_default_port_is_part_of_the_signed_host()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:5055/?b=2&a=1");
        var signer = new SigV4Signer(new FakeTimeProvider(SuiteTime));

        var result = signer.Sign(message, [], new AwsCredentials(AccessKey, SecretKey), "us-east-1", "ecs");

        Assert.Contains("\nhost:127.0.0.1:5055\n", result.CanonicalRequest, StringComparison.Ordinal);
        Assert.Contains("\na=1&b=2\n", result.CanonicalRequest, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_never_print_their_secrets()
    {
        var text = new AwsCredentials(AccessKey, SecretKey, "token-value").ToString();
        Assert.DoesNotContain(SecretKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("token-value", text, StringComparison.Ordinal);
    }
}
