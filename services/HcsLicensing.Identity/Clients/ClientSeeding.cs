using HcsLicensing.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HcsLicensing.Identity.Clients;

/// <summary>
/// Creates or updates the clients of Identity:Clients at start-up (after the migrations), so that configuration is the
/// one place clients and their secrets come from. OpenIddict stores only a hash of each secret.
/// </summary>
internal sealed class ClientSeeding(IServiceScopeFactory scopes, IOptions<IssuerOptions> options, ILogger<ClientSeeding> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var client in options.Value.Clients)
        {
            var descriptor = Describe(client);
            var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
            if (existing is null)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            else
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }

            logger.LogInformation("Client {ClientId} may ask for {Scopes}", client.ClientId, string.Join(" ", client.Scopes));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static OpenIddictApplicationDescriptor Describe(ClientOptions client)
    {
        var unknown = client.Scopes.Except(HcsPermissions.All).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Identity:Clients: {client.ClientId} names unknown scopes {string.Join(", ", unknown)} (known: {string.Join(", ", HcsPermissions.All)})");
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            DisplayName = client.DisplayName ?? client.ClientId,
            Permissions = { Permissions.Endpoints.Token },
        };
        if (client.ClientSecret is { Length: > 0 } secret)
        {
            descriptor.ClientType = ClientTypes.Confidential;
            descriptor.ClientSecret = secret;
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        }
        else
        {
            descriptor.ClientType = ClientTypes.Public;
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            descriptor.RedirectUris.UnionWith(client.RedirectUris);
        }

        descriptor.Permissions.UnionWith(client.Scopes.Select(scope => Permissions.Prefixes.Scope + scope));
        return descriptor;
    }
}
