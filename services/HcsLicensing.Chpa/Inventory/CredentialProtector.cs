using System.Security.Cryptography;
using System.Text.Json;
using HcsLicensing.Chpa.Data;
using HcsLicensing.Chpa.UcApplications;
using HcsLicensing.ServiceDefaults.Security;
using Microsoft.AspNetCore.DataProtection;

namespace HcsLicensing.Chpa.Inventory;

/// <summary>
/// Encrypts cluster credentials for the database with ASP.NET Core Data Protection. The key ring lives in CHPA's
/// database, so every instance (and a restarted one) decrypts what another encrypted. Each ciphertext holds the
/// publisher address it was entered for, and decrypts only for that address: credentials go nowhere else, even if the
/// address column is changed behind the API's back.
/// </summary>
public sealed class CredentialProtector(IDataProtectionProvider provider)
{
    // The purpose string isolates these ciphertexts from any other use of the key ring; bump it only with a re-encryption.
    private readonly IDataProtector _protector = provider.CreateProtector("HcsLicensing.Chpa.ClusterCredentials.v1");

    public string Protect(UcCredentials credentials, string publisherAddress) =>
        _protector.Protect(JsonSerializer.Serialize(new StoredCredentials(credentials.UserName, credentials.Password, PublisherAllowList.Normalize(publisherAddress))));

    /// <summary>
    /// The credentials, or <see cref="UcCredentials.Unreadable"/> when the ciphertext cannot be decrypted or was
    /// entered for another publisher address than <paramref name="publisherAddress"/>.
    /// </summary>
    public UcCredentials Unprotect(string protectedCredentials, string publisherAddress)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<StoredCredentials>(_protector.Unprotect(protectedCredentials));
            return stored is null || stored.A is null || !string.Equals(stored.A, PublisherAllowList.Normalize(publisherAddress), StringComparison.Ordinal)
                ? UcCredentials.Unreadable
                : new UcCredentials(stored.U, stored.P);
        }
        catch (Exception exception) when (exception is CryptographicException or JsonException or FormatException)
        {
            return UcCredentials.Unreadable;
        }
    }

    /// <summary>User name, password and the publisher address they are bound to (absent in ciphertexts of before the binding: unusable).</summary>
    private sealed record StoredCredentials(string U, string P, string? A);
}

/// <summary>Data Protection with its keys in CHPA's PostgreSQL database.</summary>
public static class CredentialProtectionRegistration
{
    public static IHostApplicationBuilder AddClusterCredentialProtection(this IHostApplicationBuilder builder)
    {
        // One application name for every instance: the same keys protect and unprotect across replicas and restarts;
        // the keys themselves encrypted with the configured certificate (docs/security.md).
        builder.AddServiceDataProtection<ChpaDbContext>("HcsLicensing.Chpa");
        builder.Services.AddSingleton<CredentialProtector>();
        builder.Services.AddSingleton(PublisherAllowList.FromConfiguration(builder.Configuration));
        return builder;
    }
}
