using System.Security.Claims;

namespace HcsLicensing.ServiceDefaults.Security;

/// <summary>Who a token says the caller is, and what it may do, whichever OpenID Connect provider issued it.</summary>
public static class CallerIdentity
{
    /// <summary>The name jobs record as requestedBy and logs show: the subject, else the client id (azp/appid for Entra).</summary>
    public static string? Of(ClaimsPrincipal user) =>
        First(user, "sub") ?? First(user, "client_id") ?? First(user, "azp") ?? First(user, "appid");

    /// <summary>The permissions the token grants: scopes (space-separated scope or scp) and roles.</summary>
    public static IReadOnlySet<string> Permissions(ClaimsPrincipal user)
    {
        var granted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in user.FindAll(c => c.Type is "scope" or "scp"))
        {
            granted.UnionWith(claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        granted.UnionWith(user.FindAll(c => c.Type is "roles" or "role").Select(c => c.Value));
        return granted;
    }

    private static string? First(ClaimsPrincipal user, string type) => user.FindFirst(type)?.Value is { Length: > 0 } value ? value : null;
}
