using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MS2GAN.ServiceDefaults;

/// <summary>
/// Compares a presented key with the configured one in constant time: both are hashed with SHA-256
/// first, so neither the content nor the length of the key leaks through timing.
/// </summary>
internal sealed class ApiKeyVerifier(IOptions<ApiKeyOptions> options)
{
    private readonly byte[]? _expectedHash = options.Value.HasKey
        ? SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Key!))
        : null;

    /// <summary>Whether keyed endpoints are open because no key is configured and anonymous access is allowed.</summary>
    public bool IsAnonymous => _expectedHash is null;

    /// <summary>Whether search endpoints ask for the key.</summary>
    public bool RequireForSearch { get; } = options.Value.RequireForSearch;

    public bool Matches(string presented)
    {
        if (_expectedHash is null)
        {
            return false;
        }

        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, _expectedHash);
    }
}
