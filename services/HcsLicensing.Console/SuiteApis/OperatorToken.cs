using HcsLicensing.Console.SignIn;
using Microsoft.AspNetCore.Components.Authorization;

namespace HcsLicensing.Console.SuiteApis;

/// <summary>
/// The signed-in operator's access token, read from the session: the request's user on a static page or an endpoint,
/// the circuit's user on an interactive page (where AuthenticationStateProvider is the source).
/// </summary>
public sealed class OperatorToken(IHttpContextAccessor http, AuthenticationStateProvider authentication)
{
    public async Task<string> GetAsync()
    {
        var token = http.HttpContext?.User.FindFirst(OperatorSignIn.AccessTokenClaim)?.Value;
        if (token is null)
        {
            var state = await authentication.GetAuthenticationStateAsync();
            token = state.User.FindFirst(OperatorSignIn.AccessTokenClaim)?.Value;
        }

        return token ?? throw new SuiteApiException(401, "Not signed in", "the session has no access token; sign in again");
    }
}
