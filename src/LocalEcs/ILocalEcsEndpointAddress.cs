namespace Mirage.LocalEcs;

/// <summary>Where local tasks reach the metadata and credentials endpoints (baked into their environment at start).</summary>
public interface ILocalEcsEndpointAddress
{
    Task<Uri> GetBaseAddressAsync(CancellationToken cancellationToken);
}
