using System.Security.Cryptography;
using System.Text;

namespace HcsLicensing.ClusterAssign.Operations;

/// <summary>
/// Ids derived from names, so every replica computes the same one without asking a database: a cluster's saga id
/// from its name (any case), and a job's id from the caller's request id and the cluster (a repeated request finds
/// its job; the same request id over several clusters, as a batch sends, gives one job each).
/// </summary>
public static class ClusterKeys
{
    public static Guid ForCluster(string clusterName) => Derive("cluster:" + clusterName.Trim().ToUpperInvariant());

    public static Guid ForJob(string requestId, string clusterName) =>
        Derive("job:" + requestId.Trim() + "\n" + clusterName.Trim().ToUpperInvariant());

    private static Guid Derive(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        var bytes = hash[..16];
        // An RFC 9562 version 8 (custom) UUID, so it is never mistaken for a random or time-based one.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
