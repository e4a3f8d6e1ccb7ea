using HcsLicensing.Identity;
using HcsLicensing.Identity.Clients;
using HcsLicensing.Identity.Data;
using HcsLicensing.Identity.Endpoints;
using HcsLicensing.Identity.Keys;
using HcsLicensing.ServiceDefaults;
using HcsLicensing.ServiceDefaults.Database;
using HcsLicensing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using static OpenIddict.Abstractions.OpenIddictConstants;

// Identity: the suite's OpenID Connect issuer (OpenIddict). Discovery and JWKS for the services' token validation, client
// credentials for services, scripts and tests, authorization code + PKCE for the operator console. docs/security.md.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults("Identity");
builder.AddServiceDatabase<IdentityDbContext>();
builder.Services.Configure<IssuerOptions>(builder.Configuration.GetSection(IssuerOptions.Section));
var issuer = builder.Configuration.GetSection(IssuerOptions.Section).Get<IssuerOptions>() ?? new IssuerOptions();
var keys = Path.Combine(builder.Environment.ContentRootPath, issuer.SigningKeys.Path);

builder.Services.AddAuthentication().AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, cookie => cookie.LoginPath = LoginEndpoint.Path);
builder.Services.AddOpenIddict()
    .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
    .AddServer(server =>
    {
        server.SetTokenEndpointUris("connect/token").SetAuthorizationEndpointUris("connect/authorize");
        server.AllowClientCredentialsFlow().AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
        server.RegisterScopes([Scopes.OpenId, .. HcsPermissions.All]);
        server.SetAccessTokenLifetime(issuer.AccessTokenLifetime);
        // Persistent keys: a restart keeps signing with the key the services already trust.
        server.AddSigningCertificate(IssuerCertificates.Signing(keys)).AddEncryptionCertificate(IssuerCertificates.Encryption(keys));
        // Plain signed JWTs, which any resource server's JwtBearer reads (OpenIddict would encrypt them by default).
        server.DisableAccessTokenEncryption();
        if (issuer.Issuer is { } uri)
        {
            server.SetIssuer(uri);
        }

        var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough();
        if (issuer.AllowHttp)
        {
            aspNetCore.DisableTransportSecurityRequirement();
        }
    });
builder.Services.AddHostedService<ClientSeeding>(); // after the migrations: hosted services start in registration order

var app = builder.Build();

app.MapServiceDefaults();
app.UseAuthentication();
app.MapTokenEndpoint();
app.MapAuthorizeEndpoint();
app.MapLoginEndpoint();

app.Run();

/// <summary>The entry point, public for WebApplicationFactory in the tests.</summary>
public partial class Program;
