using System.Security.Cryptography;

namespace Mirage.Edge.Tests.Support;

/// <summary>Deterministic, incompressible test data: one 1 MiB random block, repeated.</summary>
public static class TestBytes
{
    public static readonly byte[] Block = CreateBlock();

    public static string Sha256Of(long size)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long done = 0; done < size;)
        {
            var n = (int)Math.Min(Block.Length, size - done);
            sha.AppendData(Block, 0, n);
            done += n;
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static byte[] CreateBlock()
    {
        var block = new byte[1 << 20];
        new Random(20261122).NextBytes(block);
        return block;
    }
}
