using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HcsLicensing.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HcsLicensing.Security.Tests.Tokens;

/// <summary>
/// Tokens the issuer would never hand out, made here: with the issuer's own signing key (read from its key directory)
/// but expired or for another audience, and with every claim right but signed by a key of our own. A control token
/// (the issuer's key, every claim right) shows the services accept what is made here, so each refusal is for its one flaw.
/// </summary>
public sealed class ForgedTokens : IDisposable
{
    private readonly X509Certificate2 _issuerCertificate;
    private readonly RSA _foreignKey = RSA.Create(2048);
    private readonly string _issuer;
    private readonly string _audience;

    private ForgedTokens(X509Certificate2 issuerCertificate, string issuer, string audience)
    {
        _issuerCertificate = issuerCertificate;
        _issuer = issuer;
        _audience = audience;
    }

    /// <summary>Reads the issuer's name from its discovery document and its signing certificate from its key directory.</summary>
    public static async Task<ForgedTokens> ForAsync(Uri authority, string keyDirectory, string audience)
    {
        using var http = new HttpClient();
        var discovery = await http.GetFromJsonAsync<Dictionary<string, object>>(new Uri(authority, ".well-known/openid-configuration"));
        var issuer = discovery!["issuer"].ToString()!;
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(keyDirectory, "signing.pfx"), password: null, X509KeyStorageFlags.Exportable);
        return new ForgedTokens(certificate, issuer, audience);
    }

    /// <summary>The issuer's key, the right audience, every permission, valid now: what a service must accept.</summary>
    public string Control() => Create(new X509SigningCredentials(_issuerCertificate), _audience, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10));

    /// <summary>The issuer's key, right audience, expired ten minutes ago (beyond the five minutes of clock skew allowed).</summary>
    public string Expired() => Create(new X509SigningCredentials(_issuerCertificate), _audience, DateTime.UtcNow.AddMinutes(-30), DateTime.UtcNow.AddMinutes(-10));

    /// <summary>The issuer's key, valid now, but for another API.</summary>
    public string OtherAudience() => Create(new X509SigningCredentials(_issuerCertificate), "some-other-api", DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10));

    /// <summary>Every claim right, signed by a key that is not the issuer's.</summary>
    public string OtherSigningKey() =>
        Create(new SigningCredentials(new RsaSecurityKey(_foreignKey) { KeyId = "not-the-issuers" }, SecurityAlgorithms.RsaSha256), _audience, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(10));

    public void Dispose()
    {
        _issuerCertificate.Dispose();
        _foreignKey.Dispose();
    }

    private string Create(SigningCredentials credentials, string audience, DateTime notBefore, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = audience,
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires,
            SigningCredentials = credentials,
            TokenType = "at+jwt",
            Claims = new Dictionary<string, object> { ["sub"] = "forged-caller", ["scope"] = string.Join(' ', HcsPermissions.All) },
        });
}
