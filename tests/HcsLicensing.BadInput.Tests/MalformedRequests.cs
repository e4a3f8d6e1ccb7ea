using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using HcsLicensing.TestBed.Suite;

namespace HcsLicensing.BadInput.Tests;

/// <summary>
/// One generated bad request: where it goes, its body as sent (possibly not JSON at all), and the fields a 400/422
/// answer may name (empty: any field, e.g. for a body that is not JSON).
/// </summary>
public sealed record MalformedRequest(SuiteService Service, HttpMethod Method, string PathAndQuery, string? Body, string[] Fields, string Kind)
{
    public bool IsWrite => Method != HttpMethod.Get;

    public override string ToString() => $"{Kind}: {Method} {Service} {Shorten(PathAndQuery)} {Shorten(Body ?? "")}";

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + $"...({text.Length})" : text;
}

/// <summary>
/// FsCheck generators of bad input for every HTTP endpoint of the suite: strings past their column's length, JSON
/// values of the wrong type, nulls for required fields, page numbers and sizes out of range or past int, unknown enum
/// names and numbers, bodies that are not JSON. Each starts from a valid body and breaks one thing, so the answer must
/// name that thing.
/// </summary>
public static class MalformedRequests
{
    /// <summary>A cluster of CHPA's inventory the PUTs aim at (so they cannot fail as 404 instead of on their input).</summary>
    public static Gen<MalformedRequest> All(string inventoryCluster) => Gen.OneOf(
        BodyCases(SuiteService.Chpa, HttpMethod.Post, "clusters", ChpaCluster("bad-input-new"), ChpaRules),
        BodyCases(SuiteService.Chpa, HttpMethod.Put, $"clusters/{inventoryCluster}", ChpaCluster(inventoryCluster), ChpaPutRules),
        BodyCases(SuiteService.SmartAccountSync, HttpMethod.Post, "smart-accounts", SmartAccount(), SmartAccountRules),
        BodyCases(SuiteService.SmartAccountSync, HttpMethod.Put, "transport-settings", Transport(), TransportRules),
        BodyCases(SuiteService.SmartAccountSync, HttpMethod.Put, "smart-accounts/hcs-demo.example.com/transport-settings", Transport(), TransportRules),
        BodyCases(SuiteService.ClusterAssign, HttpMethod.Post, "clusters/hcs-cl-0001/assignment", Assignment(), AssignmentRules),
        BodyCases(SuiteService.ClusterAssign, HttpMethod.Post, "clusters/hcs-cl-0001/reassignment", Assignment(), AssignmentRules),
        BodyCases(SuiteService.ClusterAssign, HttpMethod.Post, "clusters/hcs-cl-0001/unassignment", Unassignment(), UnassignmentRules),
        BodyCases(SuiteService.ClusterAssign, HttpMethod.Post, "virtual-accounts/hcs-demo.example.com/HCS-CUST-0001/clusters", Batch(), BatchRules),
        PathCases(),
        PagingCases(),
        EnumQueryCases());

    // Which way each field of a body may be broken: its length limit (0: no string), required or not, enum or not.
    private sealed record FieldRule(string Path, int MaxLength, bool Required = false, bool IsEnum = false, bool IsNumber = false);

    private static readonly FieldRule[] ChpaRules =
    [
        new("name", 64, Required: true), new("type", 16, Required: true, IsEnum: true), new("version", 32, Required: true),
        new("publisherAddress", 253, Required: true),
        new("managementCredentials.userName", 128, Required: true), new("managementCredentials.password", 256, Required: true),
        new("platformCredentials.userName", 128, Required: true), new("platformCredentials.password", 256, Required: true),
    ];

    // A change takes the name from its path: the body's may be left out (null), not be another.
    private static readonly FieldRule[] ChpaPutRules = [new("name", 64), .. ChpaRules.Skip(1)];

    private static readonly FieldRule[] SmartAccountRules =
        [new("domain", 253, Required: true), new("clientId", 256, Required: true), new("clientSecret", 1024, Required: true)];

    private static readonly FieldRule[] TransportRules =
    [
        new("mode", 0, Required: true, IsEnum: true), new("proxyHost", 253, Required: true), new("proxyPort", 0, Required: true, IsNumber: true),
        new("authenticationGateway", 2048, Required: true), new("cssmServer", 2048, Required: true),
        new("proxyUser", 256), new("proxyPassword", 1024),
    ];

    private static readonly FieldRule[] AssignmentRules =
    [
        new("smartAccountDomain", 253, Required: true), new("virtualAccount", 256, Required: true),
        new("requestId", 128),
    ];

    private static readonly FieldRule[] UnassignmentRules = [new("requestId", 128)];

    private static readonly FieldRule[] BatchRules = [new("requestId", 128), new("concurrency", 0, IsNumber: true)];

    private static JsonObject ChpaCluster(string name) => new()
    {
        ["name"] = name,
        ["type"] = "CUCM",
        ["version"] = "12.5",
        ["publisherAddress"] = $"{name}-pub.hcs.example",
        ["managementCredentials"] = new JsonObject { ["userName"] = "ccmadministrator", ["password"] = "mgmt-0001" },
        ["platformCredentials"] = new JsonObject { ["userName"] = "osadmin", ["password"] = "platform-0001" },
    };

    private static JsonObject SmartAccount() => new() { ["domain"] = "bad-input.example.com", ["clientId"] = "client", ["clientSecret"] = "secret" };

    private static JsonObject Transport() => new()
    {
        ["mode"] = "Proxy",
        ["proxyHost"] = "proxy.example.com",
        ["proxyPort"] = 8080,
        ["authenticationGateway"] = "https://id.example.com/oauth2/token",
        ["cssmServer"] = "https://swapi.example.com/services/api/smart-accounts-and-licensing/",
    };

    private static JsonObject Assignment() => new() { ["smartAccountDomain"] = "hcs-demo.example.com", ["virtualAccount"] = "HCS-CUST-0001", ["requestId"] = "r-1" };

    private static JsonObject Unassignment() => new() { ["requestId"] = "r-1" };

    private static JsonObject Batch() => new() { ["clusters"] = new JsonArray("hcs-cl-0001"), ["requestId"] = "r-1", ["concurrency"] = 1 };

    /// <summary>A valid body with one field broken, or a body that is not a JSON object at all.</summary>
    private static Gen<MalformedRequest> BodyCases(SuiteService service, HttpMethod method, string path, JsonObject valid, FieldRule[] rules)
    {
        var broken =
            from rule in Gen.Elements(rules)
            from kind in Gen.Elements(Kinds(rule))
            from extra in Gen.Choose(1, 5000)
            from wrong in Gen.Elements<JsonNode?>(JsonValue.Create(12.5), JsonValue.Create(true), new JsonArray(1, 2), new JsonObject { ["x"] = 1 }, JsonValue.Create(-1))
            select Break(service, method, path, valid, rule, kind, extra, wrong);
        var notJson =
            from text in Gen.Elements("{", "{\"name\":", "[1,2", "not json", "{\"a\":1}}", "\"just a string\"", "[]", "{,}", "{\"requestId\":\"x\"", "\u0000")
            select new MalformedRequest(service, method, path, text, [], "invalid JSON");
        return Gen.Frequency((9, broken), (1, notJson));
    }

    private static string[] Kinds(FieldRule rule)
    {
        var kinds = new List<string> { "wrong type" };
        if (rule.MaxLength > 0)
        {
            kinds.Add("oversized");
        }

        if (rule.Required)
        {
            kinds.Add("null");
        }

        if (rule.IsEnum)
        {
            kinds.Add("unknown enum");
        }

        if (rule.IsNumber)
        {
            kinds.Add("out of range");
        }

        return [.. kinds];
    }

    private static MalformedRequest Break(SuiteService service, HttpMethod method, string path, JsonObject valid, FieldRule rule, string kind, int extra, JsonNode? wrong)
    {
        var body = (JsonObject)valid.DeepClone();
        var names = rule.Path.Split('.');
        var parent = names.Length == 1 ? body : (JsonObject)body[names[0]]!;
        var leaf = names[^1];
        parent[leaf] = kind switch
        {
            "oversized" => new string('a', rule.MaxLength + extra),
            "null" => null,
            "unknown enum" => extra % 2 == 0 ? JsonValue.Create($"NOT-A-{leaf.ToUpperInvariant()}") : JsonValue.Create(extra.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "out of range" => JsonValue.Create(extra % 2 == 0 ? -extra : 100_000 + extra),
            // A number where a string goes (and a string where a number goes).
            _ => rule.IsNumber ? JsonValue.Create("eighty") : wrong?.DeepClone(),
        };
        // The answer names the leaf, its parent ("managementCredentials" when the pair is incomplete) or the full path.
        string[] fields = names.Length == 1 ? [rule.Path] : [rule.Path, names[0]];
        return new MalformedRequest(service, method, path, body.ToJsonString(), fields, $"{kind} {rule.Path}");
    }

    /// <summary>Malformed ids and oversized names in paths.</summary>
    private static Gen<MalformedRequest> PathCases() =>
        from extra in Gen.Choose(1, 3000)
        from pick in Gen.Choose(0, 6)
        select pick switch
        {
            0 => new MalformedRequest(SuiteService.JobTracker, HttpMethod.Get, $"jobs/{Junk(extra)}", null, ["id"], "bad job id"),
            1 => new MalformedRequest(SuiteService.JobTracker, HttpMethod.Post, $"jobs/{Junk(extra)}/restart", null, ["id"], "bad job id"),
            2 => new MalformedRequest(SuiteService.JobTracker, HttpMethod.Post, $"jobs/{Junk(extra)}/cancel", null, ["id"], "bad job id"),
            3 => new MalformedRequest(SuiteService.ClusterAssign, HttpMethod.Post, $"clusters/{new string('c', 64 + extra)}/unassignment", "{}", ["clusterName"], "oversized clusterName"),
            4 => new MalformedRequest(SuiteService.ClusterAssign, HttpMethod.Post, $"clusters/{new string('c', 64 + extra)}/assignment", Assignment().ToJsonString(), ["clusterName"], "oversized clusterName"),
            5 => new MalformedRequest(SuiteService.ClusterAssign, HttpMethod.Post, $"virtual-accounts/{new string('d', 253 + extra)}/HCS-CUST-0001/clusters", Batch().ToJsonString(), ["smartAccountDomain"], "oversized smartAccountDomain"),
            _ => new MalformedRequest(SuiteService.Chpa, HttpMethod.Put, $"clusters/{new string('n', 64 + extra)}", ChpaCluster("x").ToJsonString(), ["name"], "oversized name in path"),
        };

    private static string Junk(int n) => n % 3 == 0 ? new string('j', n) : n % 3 == 1 ? $"{n}" : $"not-a-guid-{n}";

    private static readonly (SuiteService Service, string Path)[] Lists =
    [
        (SuiteService.Chpa, "clusters"), (SuiteService.ClusterAssign, "clusters"), (SuiteService.JobTracker, "jobs"),
        (SuiteService.SmartAccountSync, "smart-accounts"), (SuiteService.SmartAccountSync, "virtual-accounts"),
        (SuiteService.ClusterAssign, "findings"),
    ];

    /// <summary>page and pageSize: zero, negative, past int, past the largest page that cannot overflow, not numbers.</summary>
    private static Gen<MalformedRequest> PagingCases() =>
        from list in Gen.Elements(Lists)
        from field in Gen.Elements("page", "pageSize")
        from value in Gen.Elements("0", "-1", "-2147483648", "2147483647", "2147483648", "99999999999999999999", "1e3", "abc", "4294967297", "1.5", "%00", new string('9', 400))
        select new MalformedRequest(list.Service, HttpMethod.Get, $"{list.Path}?{field}={Uri.EscapeDataString(value)}", null, [field], $"paging {field}={value}");

    private static Gen<MalformedRequest> EnumQueryCases() =>
        from pick in Gen.Choose(0, 4)
        from value in Gen.Elements("7", "-1", "NOPE", "Inprogress2", "99999999999", "CUCM,IMP")
        select pick switch
        {
            3 => new MalformedRequest(SuiteService.ClusterAssign, HttpMethod.Get, $"findings?type={value}", null, ["type"], "unknown finding type"),
            4 => new MalformedRequest(SuiteService.ClusterAssign, HttpMethod.Get, $"findings?severity={value}", null, ["severity"], "unknown severity"),
            0 => new MalformedRequest(SuiteService.Chpa, HttpMethod.Get, $"clusters?type={value}", null, ["type"], "unknown type"),
            1 => new MalformedRequest(SuiteService.JobTracker, HttpMethod.Get, $"jobs?status={value}", null, ["status"], "unknown status"),
            _ => new MalformedRequest(SuiteService.SmartAccountSync, HttpMethod.Get, $"virtual-accounts?accessLevel={value}", null, ["accessLevel"], "unknown accessLevel"),
        };
}
