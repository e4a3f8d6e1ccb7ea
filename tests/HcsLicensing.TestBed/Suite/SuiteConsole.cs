using System.Globalization;
using HcsLicensing.ServiceDefaults.Security;

namespace HcsLicensing.TestBed.Suite;

/// <summary>
/// The operator console in a suite (<see cref="SuiteOptions.WithConsole"/>): its public client at the issuer (code +
/// PKCE, redirect to the console's /signin-oidc), the operators who may sign in, and the console's own settings.
/// </summary>
public static class SuiteConsole
{
    public const string ClientId = "hcs-console";

    /// <summary>An operator holding all three permissions.</summary>
    public static readonly SuiteOperator Operator = new("operator", "operator-test", HcsPermissions.All);

    /// <summary>A viewer: hcs.read only, so the console shows no action.</summary>
    public static readonly SuiteOperator Viewer = new("viewer", "viewer-test", [HcsPermissions.Read]);

    /// <summary>Where the console links a job's trace in a suite (Console:TraceUrl): no such server, the link is what is checked.</summary>
    public const string TraceUrl = "http://traces.example/trace/{traceId}";

    /// <summary>The suite's processes: the seven, plus the console when asked for.</summary>
    internal static IReadOnlyList<SuiteService> Members(SuiteOptions options) =>
        [.. Enum.GetValues<SuiteService>().Where(service => service != SuiteService.Console || options.WithConsole)];

    /// <summary>What the issuer needs to know: the console's client (at <paramref name="clientIndex"/> of Identity:Clients) and the operators.</summary>
    internal static Dictionary<string, string> IssuerEnvironment(Uri console, int clientIndex)
    {
        static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
        var client = $"Identity__Clients__{Text(clientIndex)}__";
        var environment = new Dictionary<string, string>
        {
            [client + "ClientId"] = ClientId,
            [client + "RedirectUris__0"] = new Uri(console, "signin-oidc").ToString(),
        };
        for (var i = 0; i < HcsPermissions.All.Count; i++)
        {
            environment[client + "Scopes__" + Text(i)] = HcsPermissions.All[i];
        }

        SuiteOperator[] operators = [Operator, Viewer];
        for (var o = 0; o < operators.Length; o++)
        {
            var prefix = $"Identity__Operators__{Text(o)}__";
            environment[prefix + "UserName"] = operators[o].UserName;
            environment[prefix + "Password"] = operators[o].Password;
            for (var i = 0; i < operators[o].Permissions.Count; i++)
            {
                environment[prefix + "Permissions__" + Text(i)] = operators[o].Permissions[i];
            }
        }

        return environment;
    }

    /// <summary>The console's settings: the issuer (over plain http on the loopback) and each service's URL.</summary>
    internal static Dictionary<string, string> Environment(Func<SuiteService, string> url) => new()
    {
        ["Authentication__Authority"] = url(SuiteService.Identity),
        ["Authentication__ClientId"] = ClientId,
        ["Authentication__RequireHttpsMetadata"] = "false",
        ["Suite__JobTracker"] = url(SuiteService.JobTracker),
        ["Suite__SmartAccountSync"] = url(SuiteService.SmartAccountSync),
        ["Suite__Chpa"] = url(SuiteService.Chpa),
        ["Suite__ClusterAssign"] = url(SuiteService.ClusterAssign),
        ["Console__TraceUrl"] = TraceUrl,
    };
}

/// <summary>An operator of the suite's issuer: user name, password and the permissions their token carries as roles.</summary>
public sealed record SuiteOperator(string UserName, string Password, IReadOnlyList<string> Permissions);
