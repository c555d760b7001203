namespace Mirage.Aws.Endpoints;

/// <param name="Url">Base URL requests are sent to.</param>
/// <param name="SigningRegion">Region in the SigV4 credential scope.</param>
/// <param name="IsOverride">Set from <c>AWS_ENDPOINT_URL*</c> (an emulator or a VPC endpoint), not the default.</param>
public sealed record AwsEndpoint(AwsService Service, Uri Url, string SigningRegion, bool IsOverride);
